package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java snippet of the README and of {@code docs/} compiles against this build's jars, so a
 * renamed method or a moved class cannot leave the documentation behind. A snippet that is a
 * whole file ({@code package ...}) compiles as it is; one that declares types compiles with the
 * usual imports; one of statements compiles as a method's body. What a snippet uses without
 * declaring it (the application's own {@code apply}, {@code Order}) is declared in an HTML comment
 * right above it, {@code <!-- snippet: ... -->}, which the rendered page does not show.
 */
class DocumentationSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- snippet:\\n(?<context>.*?)-->\\n\\n?)?```java\\n(?<code>.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import static org.assertj.core.api.Assertions.assertThat;
            import dev.jwal.core.*;
            import dev.jwal.core.log.*;
            import dev.jwal.spring.boot.autoconfigure.*;
            import dev.jwal.spring.boot.test.AutoConfigureTestWal;
            import java.nio.file.*;
            import java.time.Duration;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.concurrent.locks.ReentrantLock;
            import org.junit.jupiter.api.Test;
            import org.springframework.beans.factory.ObjectProvider;
            import org.springframework.beans.factory.annotation.Autowired;
            import org.springframework.boot.test.context.SpringBootTest;
            import org.springframework.context.annotation.Bean;
            import org.springframework.stereotype.Component;
            import org.springframework.stereotype.Service;
            """;

    @TempDir
    Path out;

    record Snippet(String where, String context, String code) {
        @Override
        public String toString() {
            return where;
        }
    }

    static List<Snippet> snippets() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("sample-app/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<Snippet> found = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher block = BLOCK.matcher(text);
            while (block.find()) {
                int line = (int) text.substring(0, block.start("code")).lines().count();
                String context = block.group("context") == null ? "" : block.group("context");
                found.add(new Snippet(ROOT.relativize(page) + ":" + line, context, block.group("code")));
            }
        }
        assertThat(found).as("the snippets found").hasSizeGreaterThanOrEqualTo(10);
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void compiles(Snippet snippet) {
        String source;
        String name;
        if (snippet.code().startsWith("package ")) {
            Matcher type = Pattern.compile("public (?:final )?(?:class|record|interface) (\\w+)").matcher(snippet.code());
            assertThat(type.find()).as("a whole file names its public type").isTrue();
            name = type.group(1);
            source = snippet.code();
        } else if (Pattern.compile("^(?:@\\w+|class |record |interface )", Pattern.MULTILINE)
                .matcher(snippet.code()).find() && !snippet.code().startsWith("@Bean")) {
            name = "SnippetTypes";
            source = IMPORTS + "\nclass SnippetTypes {}\n" + snippet.context() + "\n" + snippet.code();
        } else {
            name = "Snippet";
            source = IMPORTS + "\nclass Snippet {\n" + snippet.context() + "\n"
                    + (snippet.code().startsWith("@Bean") ? snippet.code()
                            : "void run() throws Exception {\n" + snippet.code() + "\n}\n")
                    + "}\n";
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        JavaFileObject file = new SimpleJavaFileObject(java.net.URI.create("string:///" + name + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok = javac.getTask(errors, null, null,
                List.of("-proc:none", "-d", out.toString(), "-classpath", System.getProperty("java.class.path")),
                null, List.of(file)).call();
        assertThat(ok).as("%s does not compile:%n%s%n--- as compiled:%n%s", snippet.where(), errors, source).isTrue();
    }
}
