package io.weft.wire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
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
        return start(listen(address), credentials, maxFrame, listener);
    }

    /**
     * Binds a listening socket, without Netty: peers may connect at once (the system queues them) while the
     * server is set up with {@link #start(ServerSocketChannel, RunCredentials, int, WireListener)}, which takes a
     * good part of a second the first time in a JVM.
     *
     * @throws WireException if the address cannot be bound (the port is taken, say)
     */
    public static ServerSocketChannel listen(InetSocketAddress address) {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.bind(address, 128);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw new WireException("cannot listen on " + address + ": " + e.getMessage());
        }
    }

    /**
     * Starts serving on a socket {@link #listen} bound, with two event loops for the accepted connections:
     * connections made meanwhile are accepted now.
     *
     * @param maxFrame the largest frame accepted from an authenticated peer, in bytes
     * @throws WireException if it cannot serve there
     */
    public static WireServer start(ServerSocketChannel bound, RunCredentials credentials, int maxFrame,
            WireListener listener) {
        return start(bound, credentials, maxFrame, 2, listener);
    }

    /**
     * Starts serving on a socket {@link #listen} bound, with {@code loops} event loops for the accepted connections.
     * With one, a message read on one connection and the messages it makes the listener send on others are written
     * by the same thread, in one pass, without waking another; but that thread then also does all the connections'
     * TLS and framing work.
     *
     * @param maxFrame the largest frame accepted from an authenticated peer, in bytes
     * @param loops how many event loops serve the accepted connections, at least 1
     * @throws WireException if it cannot serve there
     */
    public static WireServer start(ServerSocketChannel bound, RunCredentials credentials, int maxFrame, int loops,
            WireListener listener) {
        if (loops < 1) {
            throw new IllegalArgumentException("event loops: " + loops);
        }
        EventLoopGroup boss = new NioEventLoopGroup(1, WireThreads.named("weft-wire-accept"));
        EventLoopGroup workers = new NioEventLoopGroup(loops, WireThreads.named("weft-wire"));
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channelFactory(() -> new NioServerSocketChannel(bound))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, WireThreads.RECEIVE_BUFFERS)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            WirePipeline.configure(ch, true, credentials, maxFrame, listener,
                                    new CompletableFuture<>());
                        }
                    })
                    .register().syncUninterruptibly().channel();
            return new WireServer(boss, workers, channel);
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            String where;
            try {
                where = String.valueOf(bound.getLocalAddress());
                bound.close();
            } catch (IOException closing) {
                where = "its socket";
            }
            throw new WireException("cannot serve on " + where + ": " + e.getMessage());
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
