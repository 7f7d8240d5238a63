/**
 * Test support for code that uses jwal, and for jwal's own tests: disks to put under a WAL with
 * {@code WalOptions.Builder.disk}. {@link dev.jwal.test.SimulatedDisk} keeps files in
 * memory with a page cache that a crash or power cut loses; {@link dev.jwal.test.FaultyDisk} fails
 * one chosen operation of the real disk. The Spring Boot starter's {@code WalOptionsCustomizer}
 * puts either under the auto-configured WAL.
 */
package dev.jwal.test;
