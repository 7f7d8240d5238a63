/** Test support: {@link dev.jwal.spring.boot.test.AutoConfigureTestWal}, a WAL per test context. */
package dev.jwal.spring.boot.test;
