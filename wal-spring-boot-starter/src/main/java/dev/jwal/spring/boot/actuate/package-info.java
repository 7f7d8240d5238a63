/**
 * What Actuator and Micrometer see of the WAL: the {@code wal} health indicator (DOWN when
 * poisoned or nearly out of disk), the {@code wal.*} meters (fsync, write and save latency, bytes,
 * cuts, follower lag), save observations for tracing, and the {@code wal} endpoint (segments, a
 * paced verify). Each is auto-configured only where its Actuator or Micrometer part is present.
 */
package dev.jwal.spring.boot.actuate;
