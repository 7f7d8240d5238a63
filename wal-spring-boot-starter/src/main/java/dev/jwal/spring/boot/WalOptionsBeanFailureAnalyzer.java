package dev.jwal.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to define instead of a {@code WalOptions} bean of the application's own. */
class WalOptionsBeanFailureAnalyzer extends AbstractFailureAnalyzer<WalOptionsBeanException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WalOptionsBeanException cause) {
        return new FailureAnalysis("The application defines a WalOptions bean. It would replace the wal.* properties"
                + " and detach the WAL's meters and health indicator, so the starter does not use one.",
                "Remove the WalOptions bean, set what you can with wal.* properties, and change the rest in a"
                        + " WalOptionsCustomizer bean, for example:\n\n"
                        + "    @Bean\n"
                        + "    WalOptionsCustomizer walTuning() {\n"
                        + "        return builder -> builder.groupWait(Duration.ofMillis(1));\n"
                        + "    }\n",
                cause);
    }
}
