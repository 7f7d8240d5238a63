package dev.jwal.spring.boot.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.beans.factory.DisposableBean;

/** A test WAL's directory, removed with everything in it when its context closes. */
final class TemporaryDirectory implements DisposableBean {

    private final Path directory;

    TemporaryDirectory(Path directory) {
        this.directory = directory;
    }

    @Override
    public void destroy() throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
