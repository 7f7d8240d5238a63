package dev.jwal.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the WALs written by etcd's own code are, for the interop tests of every module: a folder
 * per fixture holding {@code wal/}, what etcd read back ({@code expected.json}) and, where it was
 * recorded, the operations that made it ({@code spec.json}).
 *
 * <p>The folders come from the build: {@code -Djwal.interop.fixtures=DIR} alone when it is given
 * (absolute, or relative to {@code jwal.project.root}); else every folder of
 * {@code jwal.fixtures.default} that exists, the project's own first. The parent POM passes both
 * to every module's tests.
 */
public final class EtcdFixtures {

    /**
     * One fixture.
     *
     * @param name its root's parent's name, its root's and its own ({@code resources/etcd/torn-cut-5},
     *     {@code fixtures/etcd/...}), to tell the runs apart
     * @param folder the folder holding {@code wal/} and the JSON files
     */
    public record Fixture(String name, Path folder) {

        /** The WAL directory etcd wrote. */
        public Path wal() {
            return folder.resolve("wal");
        }

        /** What etcd read back from it. */
        public Path expected() {
            return folder.resolve("expected.json");
        }

        /** The operations that made it. */
        public Path spec() {
            return folder.resolve("spec.json");
        }

        /** Whether the operations were recorded (a fixture may hold only what etcd read). */
        public boolean hasSpec() {
            return Files.isRegularFile(spec());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private EtcdFixtures() {
    }

    /** The folders fixtures are taken from, in order; the first always exists. */
    public static List<Path> roots() {
        Path projectRoot = Paths.get(System.getProperty("jwal.project.root", "..")).toAbsolutePath();
        String configured = System.getProperty("jwal.interop.fixtures", "");
        if (!configured.isBlank()) {
            return List.of(projectRoot.resolve(configured).normalize());
        }
        List<Path> roots = new ArrayList<>();
        roots.add(projectRoot.resolve("wal-core/src/test/resources/etcd").normalize());
        for (String extra : System.getProperty("jwal.fixtures.default", "").split(",")) {
            Path path = Paths.get(extra.trim()).toAbsolutePath().normalize();
            if (!extra.isBlank() && Files.isDirectory(path) && !roots.contains(path)) {
                roots.add(path);
            }
        }
        return roots;
    }

    /** Every fixture under {@link #roots()}: each folder holding {@code wal/} and {@code expected.json}, sorted. */
    public static List<Fixture> all() {
        List<Fixture> fixtures = new ArrayList<>();
        for (Path root : roots()) {
            try (Stream<Path> folders = Files.list(root)) {
                for (Path folder : folders.sorted().toList()) {
                    if (Files.isRegularFile(folder.resolve("expected.json")) && Files.isDirectory(folder.resolve("wal"))) {
                        fixtures.add(new Fixture(root.getParent().getFileName() + "/" + root.getFileName() + "/"
                                + folder.getFileName(), folder));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the fixtures under " + root, e);
            }
        }
        return fixtures;
    }
}
