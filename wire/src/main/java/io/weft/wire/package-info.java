/**
 * The wire protocol between a Weft master and its workers, on Netty.
 *
 * <p>Every frame is length-prefixed and at most a configured size. A connection first runs a mutual HMAC-SHA256
 * challenge-response on the run's secret ({@link io.weft.wire.RunCredentials}); until both sides have proved
 * they know it, nothing but the three fixed-size handshake frames is decoded, and a peer that fails is
 * disconnected and reported. Every frame carries the protocol version and the run id, so a peer of another run
 * (a stale worker, say) is rejected. Control messages are immutable records ({@link io.weft.wire.Message}) with
 * a compact binary codec; Java serialisation is never used.
 *
 * <p>{@code io.netty} types stay inside this package and its sub-packages ({@link io.weft.wire.transfer}).
 */
package io.weft.wire;
