package dev.jwal.spring.boot;

/**
 * The application defined a {@link dev.jwal.core.WalOptions} bean of its own. It would replace
 * every {@code wal.*} property and detach the starter's meters and health indicator, so startup
 * refuses it and {@link WalFailureAnalyzer} says to define a {@link WalOptionsCustomizer} instead.
 */
public class WalOptionsBeanException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public WalOptionsBeanException() {
        super("A WalOptions bean of the application's own replaces the starter's: it would ignore every wal.*"
                + " property and detach the WAL's meters and health indicator. Define a WalOptionsCustomizer bean"
                + " instead, which is applied on top of the wal.* properties.");
    }
}
