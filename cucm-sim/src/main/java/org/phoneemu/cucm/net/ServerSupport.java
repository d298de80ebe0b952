package org.phoneemu.cucm.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Small bridges between Netty futures and {@link CompletableFuture}. */
public final class ServerSupport {
    private ServerSupport() {
    }

    /** Completes with the bound address, or fails with a message naming what could not bind where. */
    public static CompletableFuture<InetSocketAddress> bound(ChannelFuture f, String what, InetSocketAddress where) {
        CompletableFuture<InetSocketAddress> out = new CompletableFuture<>();
        f.addListener((ChannelFuture cf) -> {
            if (cf.isSuccess()) {
                out.complete((InetSocketAddress) cf.channel().localAddress());
            } else {
                out.completeExceptionally(new java.io.IOException("cannot bind " + what + " to "
                        + where.getAddress().getHostAddress() + ":" + where.getPort() + ": " + cf.cause().getMessage(), cf.cause()));
            }
        });
        return out;
    }

    public static CompletableFuture<Void> closed(Channel ch) {
        CompletableFuture<Void> out = new CompletableFuture<>();
        if (ch == null) {
            out.complete(null);
            return out;
        }
        ch.close().addListener((Future<? super Void> f) -> out.complete(null));
        return out;
    }
}
