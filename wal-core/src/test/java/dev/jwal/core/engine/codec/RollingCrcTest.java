package dev.jwal.core.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RollingCrcTest {

    /** Go's {@code crc32.Update(crc, castagnoliTable, p)}, bit by bit: the reference. */
    private static int goUpdate(int crc, byte[] data, int offset, int length) {
        int register = ~crc;
        for (int i = offset; i < offset + length; i++) {
            register ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                register = (register & 1) != 0 ? (register >>> 1) ^ 0x82F63B78 : register >>> 1;
            }
        }
        return ~register;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void chainsLikeGosCrc32UpdateFromAnySeed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int previous = seed == 1 ? 0 : random.nextInt();
        RollingCrc crc = new RollingCrc(previous);
        int expected = previous;
        assertThat(crc.value()).isEqualTo(expected);
        for (int round = 0; round < 50; round++) {
            byte[] data = new byte[random.nextInt(0, 3000)];
            random.nextBytes(data);
            int offset = data.length == 0 ? 0 : random.nextInt(0, data.length);
            int length = data.length - offset;
            crc.update(data, offset, length);
            expected = goUpdate(expected, data, offset, length);
            assertThat(crc.value()).as("seed %d round %d", seed, round).isEqualTo(expected);
        }
        crc.seed(expected ^ 0x5A5A5A5A);
        assertThat(crc.value()).isEqualTo(expected ^ 0x5A5A5A5A);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, -1, 0x80000000, 0x7FFFFFFF, 0xCAFEBABE})
    void seedsToExtremeValues(int value) {
        RollingCrc crc = new RollingCrc(value);
        assertThat(crc.value()).isEqualTo(value);
        byte[] data = {1, 2, 3};
        crc.update(data, 0, 3);
        assertThat(crc.value()).isEqualTo(goUpdate(value, data, 0, 3));
    }
}
