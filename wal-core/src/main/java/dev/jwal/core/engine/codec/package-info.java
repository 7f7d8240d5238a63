/**
 * The bytes of etcd's WAL: protobuf messages written field by field exactly as etcd's gogo-protobuf
 * code writes them, read with the same strictness, frames with their length fields and padding,
 * and the rolling CRC-32C. Internal: not part of the supported API.
 */
package dev.jwal.core.engine.codec;
