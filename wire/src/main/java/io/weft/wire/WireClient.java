package io.weft.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens connections to peers of the run. A connection is handed out only once both sides have proved they know
 * the run's secret. Lifecycle: one client serves many connections; {@link #close} stops its threads.
 */
public final class WireClient implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1, WireThreads.named("weft-wire-client"));
    private final RunCredentials credentials;
    private final int maxFrame;

    /**
     * @param maxFrame the largest frame accepted from a peer, in bytes
     */
    public WireClient(RunCredentials credentials, int maxFrame) {
        this.credentials = credentials;
        this.maxFrame = maxFrame;
    }

    /**
     * Connects and runs the handshake.
     *
     * @return completed with the authenticated connection, or exceptionally with a {@link WireException} saying
     *     why not (refused, the peer does not know the secret, another run, timed out)
     */
    public CompletableFuture<WireConnection> connect(InetSocketAddress address, WireListener listener) {
        CompletableFuture<WireConnection> authenticated = new CompletableFuture<>();
        ChannelFuture connecting = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, WireThreads.RECEIVE_BUFFERS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.configure(ch, false, credentials, maxFrame, listener, authenticated);
                    }
                })
                .connect(address);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                authenticated.completeExceptionally(new WireException("cannot connect to " + address + ": "
                        + f.cause().getMessage()));
            }
        });
        return authenticated;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
