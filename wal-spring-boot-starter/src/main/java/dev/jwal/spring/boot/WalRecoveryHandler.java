package dev.jwal.spring.boot;

/**
 * Receives what the WAL held at startup, to rebuild the application's state from it. Beans of this
 * type are called in their {@link org.springframework.core.annotation.Order order}, once, while the
 * {@code Wal} bean is being created: before any other bean can append, so that the state is whole
 * before new writes arrive. An exception fails startup.
 */
@FunctionalInterface
public interface WalRecoveryHandler {

    /** Applies the recovered snapshot position, hard state and entries. */
    void recover(WalRecovery recovery);
}
