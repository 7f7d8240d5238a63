package dev.jwal.benchmarks;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.LogFollower;
import dev.jwal.core.log.LogRecord;
import dev.jwal.core.log.LogSubscription;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A follower's end-to-end delivery against the appends that feed it, measured in the same round:
 * one thread appends {@code RECORDS} 100-byte records (in saves of {@code BATCH}, each waited for)
 * while a follower subscribed before the first append takes each record as it is acknowledged.
 * The append rate is the records over the time the last append took to return; the delivery rate
 * is the records over the time until the follower has been handed the last of them. A ratio of
 * 1.0 means the follower was never more than a moment behind; it cannot exceed 1.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.LogFollowDelivery DIR POLICY BATCH [ROUNDS] [RECORDS]</pre>
 */
public final class LogFollowDelivery {

    private LogFollowDelivery() {
    }

    public static void main(String[] args) {
        String dir = args[0];
        SyncPolicy policy = SyncPolicy.valueOf(args[1]);
        int batch = Integer.parseInt(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        int count = args.length > 4 ? Integer.parseInt(args[4]) : 200_000;
        Path home = BenchDirectory.create(dir, "jwal-follow");
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            records.add(new byte[100]);
        }
        WalLog log = WalLog.open(home.resolve("log"), WalOptions.builder().syncPolicy(policy).build(), 2);
        long[] delivered = new long[1];
        LogSubscription subscription = log.follow(1, "bench", new LogFollower() {
            @Override
            public void record(LogRecord record) {
                // the only writer of the field, read by the appending thread below
                synchronized (delivered) {
                    delivered[0] = record.index();
                }
            }
        });
        try {
            System.out.printf(Locale.ROOT, "%s, %d records of 100 B per append, %d records a round%n", policy, batch,
                    count);
            double[] ratios = new double[rounds];
            // a round not counted, to warm up
            for (int round = -1; round < rounds; round++) {
                long begin = System.nanoTime();
                long last = 0;
                for (int appended = 0; appended < count; appended += batch) {
                    last = batch == 1 ? log.append(records.get(0)) : log.appendAll(records) + batch - 1;
                }
                long appendedAt = System.nanoTime();
                while (deliveredIndex(delivered) < last) {
                    LockSupport.parkNanos(10_000);
                }
                long deliveredAt = System.nanoTime();
                double appendRate = count * 1e9 / (appendedAt - begin);
                double deliveryRate = count * 1e9 / (deliveredAt - begin);
                if (round >= 0) {
                    ratios[round] = deliveryRate / appendRate;
                    System.out.printf(Locale.ROOT, "round %d: appended %,.0f records/s, delivered %,.0f records/s, %.3f×%n",
                            round + 1, appendRate, deliveryRate, ratios[round]);
                }
            }
            System.out.println("delivery ÷ append: " + RoundRatios.summary(ratios));
        } finally {
            subscription.cancel();
            log.close();
            BenchDirectory.delete(home);
        }
    }

    private static long deliveredIndex(long[] delivered) {
        synchronized (delivered) {
            return delivered[0];
        }
    }
}
