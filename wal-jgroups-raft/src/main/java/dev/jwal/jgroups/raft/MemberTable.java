package dev.jwal.jgroups.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.util.ByteArrayDataInputStream;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.Util;

/**
 * The durable table that turns a JGroups {@link Address} into the number etcd's hard state keeps
 * as its vote: member {@code n} is the {@code n}-th address ever voted for (from 1; 0 is "no
 * vote"). The table only grows, and is stored whole with every new member, atomically, before
 * the hard state that names it is saved, so a vote read back always has its address.
 */
final class MemberTable {

    static final String FILE_NAME = "members";
    private static final String KIND = "JWMT";

    private final Path file;
    private final List<Address> members;
    private final Map<Address, Integer> numbers = new HashMap<>();

    private MemberTable(Path file, List<Address> members) {
        this.file = file;
        this.members = members;
        for (int i = 0; i < members.size(); i++) {
            numbers.put(members.get(i), i + 1);
        }
    }

    /** The table in {@code directory}, empty when there is none yet. */
    static MemberTable load(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        List<Address> members = new ArrayList<>();
        SealedFile.open(file, KIND).ifPresent(payload -> read(file, payload, members));
        return new MemberTable(file, members);
    }

    private static void read(Path file, ByteBuffer payload, List<Address> into) {
        ByteArrayDataInputStream in = new ByteArrayDataInputStream(payload.array(),
                payload.arrayOffset() + payload.position(), payload.remaining());
        try {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                into.add(Util.readAddress(in));
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new RaftLogFileException(file, "member " + (into.size() + 1) + " cannot be read: " + e, e);
        }
    }

    /** The number of {@code member}, stored first if it is new; 0 for null (no vote). */
    int numberOf(Address member) {
        if (member == null) {
            return 0;
        }
        Integer known = numbers.get(member);
        if (known != null) {
            return known;
        }
        members.add(member);
        try {
            store();
        } catch (IOException e) {
            members.remove(members.size() - 1);
            throw new UncheckedIOException("storing the member table " + file, e);
        }
        int number = members.size();
        numbers.put(member, number);
        return number;
    }

    /** The member numbered {@code number}; null for 0. */
    Address memberAt(long number) {
        if (number == 0) {
            return null;
        }
        if (number < 0 || number > members.size()) {
            throw new RaftLogFileException(file, -1, "the hard state votes for member " + Long.toUnsignedString(number)
                    + ", but the table holds " + members.size());
        }
        return members.get((int) number - 1);
    }

    private void store() throws IOException {
        ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(64 * (members.size() + 1));
        out.writeInt(members.size());
        for (Address member : members) {
            Util.writeAddress(member, out);
        }
        byte[] payload = java.util.Arrays.copyOf(out.buffer(), out.position());
        AtomicFile.write(file, SealedFile.seal(KIND, payload));
    }
}
