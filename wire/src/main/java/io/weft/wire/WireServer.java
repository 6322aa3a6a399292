package io.weft.wire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts connections from peers of the run. Each accepted connection must pass the handshake before anything it
 * sends is decoded; one that fails is closed and reported, and the server goes on serving.
 *
 * <p>Lifecycle: {@link #start} binds; {@link #close} unbinds and stops its threads.
 */
public final class WireServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private WireServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen; port 0 picks a free one
     * @param maxFrame the largest frame accepted from an authenticated peer, in bytes
     * @throws WireException if the address cannot be bound (the port is taken, say)
     */
    public static WireServer start(InetSocketAddress address, RunCredentials credentials, int maxFrame,
            WireListener listener) {
        EventLoopGroup boss = new NioEventLoopGroup(1, WireThreads.named("weft-wire-accept"));
        EventLoopGroup workers = new NioEventLoopGroup(2, WireThreads.named("weft-wire"));
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, WireThreads.RECEIVE_BUFFERS)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            WirePipeline.configure(ch, true, credentials, maxFrame, listener,
                                    new CompletableFuture<>());
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
            return new WireServer(boss, workers, channel);
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw new WireException("cannot listen on " + address + ": " + e.getMessage());
        }
    }

    /** The bound address (with the port chosen, if 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
