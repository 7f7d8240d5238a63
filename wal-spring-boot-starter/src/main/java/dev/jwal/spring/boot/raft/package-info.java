/**
 * A jgroups-raft node whose log is jwal ({@code wal.raft.enabled=true}): the
 * {@code JwalRaftLog} and the raft channel as beans, their lifecycle beside the WAL's, and the
 * raft health indicator and meters.
 */
package dev.jwal.spring.boot.raft;
