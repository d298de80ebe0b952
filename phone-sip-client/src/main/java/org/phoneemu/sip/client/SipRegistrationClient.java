package org.phoneemu.sip.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.DeviceTlInfo;
import org.phoneemu.core.sip.DigestChallengePolicy;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.RegistrationOutcome.AttemptFailure;
import org.phoneemu.core.sip.RegistrationPolicy;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.sip.codec.SipMessageDecoder;
import org.phoneemu.sip.codec.SipMessageEncoder;
import org.phoneemu.tls.client.ClientTls;
import org.phoneemu.tls.client.Ipv4;
import org.phoneemu.tls.client.TlsConnections;

/**
 * The phone's registration to its CallManager group (docs/SIP.md §3): the targets in order, one REGISTER each until one
 * answers finally. Over TLS the phone presents its LSC (else MIC) and judges CallManager's certificate before
 * anything is written ({@link TlsRegisterExchange}); over TCP it just registers. A 2xx registers, a 4xx/6xx refuses
 * (the next CallManager would say the same), a 5xx or any failure moves to the next CallManager
 * ({@link RegistrationPolicy#verdict}). Completes on an event loop, never exceptionally.
 */
public final class SipRegistrationClient {
    private final EventLoopGroup group;
    private final SipClientOptions options;
    private final Clock clock;
    private final Function<String, CompletableFuture<Inet4Address>> resolver;
    private final Consumer<Channel> tap;
    private final SecureRandom random = new SecureRandom();

    /** A client that resolves CallManager names as the phone does: IPv4 only ({@link Ipv4#resolve}). */
    public SipRegistrationClient(EventLoopGroup group, SipClientOptions options, Clock clock) {
        this(group, options, clock, Ipv4::resolve);
    }

    /**
     * @param resolver the IPv4 address of a configuration's {@code processNodeName} (CUCM writes the node's name; a lab
     *                 without DNS for it maps names to its loopback addresses); must not block
     */
    public SipRegistrationClient(EventLoopGroup group, SipClientOptions options, Clock clock,
                                 Function<String, CompletableFuture<Inet4Address>> resolver) {
        this(group, options, clock, resolver, ch -> { });
    }

    /** As above, with {@code tap} seeing each connection's channel once its pipeline is built (a packet capture). */
    public SipRegistrationClient(EventLoopGroup group, SipClientOptions options, Clock clock,
                                 Function<String, CompletableFuture<Inet4Address>> resolver, Consumer<Channel> tap) {
        this.tap = Objects.requireNonNull(tap, "tap");
        this.group = Objects.requireNonNull(group, "group");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * What the phone brings to a registration; {@code trustLists}: the DeviceTLInfo alarm it sends (a REFER) to the
     * CallManager that registered it, before the registration's outcome completes; {@code digest}: the configuration's
     * digest credentials, which answer a 401/407 challenge (docs/SIP.md §12).
     */
    public record Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                          Predicate<X509Certificate> trustedCallManager, ConsoleLog log, Optional<DeviceTlInfo> trustLists,
                          DeviceSecurityMode mode, Optional<DigestCredentials> digest, ConnectionUse connections,
                          Consumer<CallManagerTarget> lostConnection) {
        /**
         * {@code lostConnection}: told (on an event loop: hand it on) of each connection kept for this registration that
         * CallManager's side ended while it was idle (docs/SIP.md §3); not of one the phone closed itself.
         */
        public Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                       Predicate<X509Certificate> trustedCallManager, ConsoleLog log, Optional<DeviceTlInfo> trustLists,
                       DeviceSecurityMode mode, Optional<DigestCredentials> digest, ConnectionUse connections) {
            this(targets, identity, clientCertificate, trustedCallManager, log, trustLists, mode, digest, connections, t -> { });
        }

        /** As an Encrypted phone (encrypting suites over TLS), its connections closed after their answers. */
        public Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                       Predicate<X509Certificate> trustedCallManager, ConsoleLog log, Optional<DeviceTlInfo> trustLists) {
            this(targets, identity, clientCertificate, trustedCallManager, log, trustLists, DeviceSecurityMode.ENCRYPTED);
        }

        /** Without digest credentials, its connections closed after their answers. */
        public Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                       Predicate<X509Certificate> trustedCallManager, ConsoleLog log, Optional<DeviceTlInfo> trustLists,
                       DeviceSecurityMode mode) {
            this(targets, identity, clientCertificate, trustedCallManager, log, trustLists, mode, Optional.empty(), ConnectionUse.CLOSE);
        }

        /** With digest credentials, its connections closed after their answers. */
        public Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                       Predicate<X509Certificate> trustedCallManager, ConsoleLog log, Optional<DeviceTlInfo> trustLists,
                       DeviceSecurityMode mode, Optional<DigestCredentials> digest) {
            this(targets, identity, clientCertificate, trustedCallManager, log, trustLists, mode, digest, ConnectionUse.CLOSE);
        }

        /** Without digest credentials, with {@code connections} kept or not. */
        public Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                       Predicate<X509Certificate> trustedCallManager, ConsoleLog log, Optional<DeviceTlInfo> trustLists,
                       DeviceSecurityMode mode, ConnectionUse connections) {
            this(targets, identity, clientCertificate, trustedCallManager, log, trustLists, mode, Optional.empty(), connections);
        }

        /** As an Encrypted phone, with {@code connections} kept or not. */
        public Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                       Predicate<X509Certificate> trustedCallManager, ConsoleLog log, Optional<DeviceTlInfo> trustLists,
                       ConnectionUse connections) {
            this(targets, identity, clientCertificate, trustedCallManager, log, trustLists, DeviceSecurityMode.ENCRYPTED, connections);
        }

        public Request {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(connections, "connections");
            Objects.requireNonNull(lostConnection, "lostConnection");
            targets = List.copyOf(targets);
            Objects.requireNonNull(identity);
            Objects.requireNonNull(clientCertificate);
            Objects.requireNonNull(trustedCallManager);
            Objects.requireNonNull(log);
            Objects.requireNonNull(trustLists);
        }

        /** A registration that sends no alarm. */
        public Request(List<CallManagerTarget> targets, RegisterIdentity identity, Optional<KeyMaterial> clientCertificate,
                       Predicate<X509Certificate> trustedCallManager, ConsoleLog log) {
            this(targets, identity, clientCertificate, trustedCallManager, log, Optional.empty());
        }
    }

    public CompletableFuture<RegistrationOutcome> register(Request request) {
        CompletableFuture<RegistrationOutcome> out = new CompletableFuture<>();
        if (request.connections() != ConnectionUse.KEEP_REUSE) {
            kept.release(request.identity().deviceName());
        }
        String contactUser = UUID.nameUUIDFromBytes(bytes(16)).toString();
        CiscoRegister.Dialog first = new CiscoRegister.Dialog(request.identity().mac().hex().toLowerCase() + "-" + hex(4),
                hex(4), 101, "z9hG4bK" + hex(6));
        next(request, 0, first, contactUser, new ArrayList<>(), out);
        return out;
    }

    private void next(Request request, int index, CiscoRegister.Dialog dialog, String contactUser,
                      List<RegistrationOutcome.Attempt> failures, CompletableFuture<RegistrationOutcome> out) {
        if (index >= request.targets().size()) {
            out.complete(new RegistrationOutcome.Unreachable(failures));
            return;
        }
        CallManagerTarget target = request.targets().get(index);
        // Each CallManager is a new transaction of the same registration: same Call-ID and tag, next CSeq, new branch; on
        // a connection kept from before, the next request of the registration made on it.
        Optional<KeptConnection> open = request.connections() == ConnectionUse.KEEP_REUSE ? reusable(request, target) : Optional.empty();
        CiscoRegister.Dialog d = open.isPresent() ? open.get().next("z9hG4bK" + hex(6)) : index == 0 ? dialog
                : new CiscoRegister.Dialog(dialog.callId(), dialog.fromTag(), dialog.cseq() + index, "z9hG4bK" + hex(6));
        String contact = open.map(KeptConnection::contactUser).orElse(contactUser);
        attempt(request, target, d, contact, open).whenComplete((a, err) -> {
            boolean done;
            CompletableFuture<RegistrationOutcome> judged = new CompletableFuture<>();
            try {
                done = judge(request, target, a, err, failures, judged);
            } catch (Throwable t) {
                // Whatever reading this answer threw fails this attempt only: the outcome must always complete (the
                // future of this callback is not watched by anyone).
                failures.add(new RegistrationOutcome.Attempt(target, AttemptFailure.MALFORMED_RESPONSE,
                        "the answer could not be read: " + t));
                done = false;
            }
            boolean registered = done && judged.getNow(null) instanceof RegistrationOutcome.Registered;
            if (a instanceof Attempt.Answered answered && answered.open().isPresent()
                    && !(registered && kept.adopt(request.identity().deviceName(), target, answered.open().get(), contact, d, request.log(), terms(request), request.lostConnection()))) {
                drop(request, target, answered);
            }
            if (done) {
                RegistrationOutcome o = judged.join();
                CompletableFuture<Void> after = CompletableFuture.completedFuture(null);
                if (o instanceof RegistrationOutcome.Registered && request.trustLists().isPresent()) {
                    CiscoRegister.Dialog alarm = new CiscoRegister.Dialog(hex(4) + "-" + hex(4) + "@" + request.identity().deviceName(),
                            hex(4), 1000, "z9hG4bK" + hex(6));
                    after = sendAlarm(request, target, alarm, contactUser, request.trustLists().get());
                }
                if (o instanceof RegistrationOutcome.Registered && request.connections() != ConnectionUse.CLOSE
                        && index + 1 < request.targets().size()) {
                    after = after.thenCompose(x -> keepWarm(request, request.targets().get(index + 1)));
                }
                after.whenComplete((x, e) -> out.complete(o));
                return;
            }
            try {
                next(request, index + 1, dialog, contactUser, failures, out);
            } catch (Throwable t) {
                out.complete(new RegistrationOutcome.Unreachable(failures));
            }
        });
    }

    /**
     * The DeviceTLInfo alarm as a REFER to the CallManager that registered the phone (docs/SIP.md §11): on the connection
     * the registration keeps to it, as a real phone sends it on its registration's TLS connection, when that connection
     * may carry it ({@link #reusable}: the same rule as a renewal's); on a connection of its own otherwise. Its answer is
     * logged; it never fails, and it never moves the registration's CSeq.
     */
    private CompletableFuture<Void> sendAlarm(Request request, CallManagerTarget target, CiscoRegister.Dialog dialog,
                                              String contactUser, DeviceTlInfo info) {
        String contentId = hex(4);
        Optional<KeptConnection> open = reusable(request, target);
        String contact = open.map(KeptConnection::contactUser).orElse(contactUser);
        Function<InetSocketAddress, SipMessage.Request> refer = local -> CiscoRegister.alarm(request.identity(), target,
                local.getAddress().getHostAddress(), local.getPort(), contact, dialog, clock.instant(), contentId,
                info.withAddress(local.getAddress().getHostAddress()).toXml());
        CompletableFuture<Attempt> sent = open.isPresent()
                ? open.get().send(dialog, "REFER", refer, options.responseTimeout(), request.log())
                : resolve(target).thenCompose(address -> limiter.run(new InetSocketAddress(address, target.port()),
                        () -> connect(request, target, address, dialog, "REFER", refer, false)));
        return sent.handle((a, err) -> {
            if (a instanceof Attempt.Answered answered) {
                request.log().notice(SipConsole.alarmAnswered(target, answered.response().status(), answered.response().reason()));
            } else {
                request.log().warn(SipConsole.alarmNotDelivered(target, err != null ? org.phoneemu.tls.client.TlsFailures.rootMessage(err)
                        : ((Attempt.Failed) a).detail()));
            }
            return null;
        });
    }

    /** Judges one attempt's result: true when it ended the registration ({@code out} completed), false to try the next. */
    private static boolean judge(Request request, CallManagerTarget target, Attempt a, Throwable err,
                                 List<RegistrationOutcome.Attempt> failures, CompletableFuture<RegistrationOutcome> out) {
        Attempt result = err != null ? new Attempt.Failed(AttemptFailure.CONNECT_FAILED, org.phoneemu.tls.client.TlsFailures.rootMessage(err)) : a;
        if (result instanceof Attempt.Answered answered) {
            RegistrationOutcome o = answered(request.log(), target, answered.response(), answered.cipherSuite(), answered.digest());
            if (o instanceof RegistrationOutcome.Unreachable next) {
                failures.addAll(next.attempts());
                return false;
            }
            out.complete(o);
            return true;
        } else {
            Attempt.Failed f = (Attempt.Failed) result;
            failures.add(new RegistrationOutcome.Attempt(target, f.failure(), f.detail()));
        }
        return false;
    }

    /**
     * What CallManager's final answer {@code r} to the REGISTER sent to {@code target} means, said on {@code log}: a 2xx
     * registers, a 4xx/6xx refuses, a 5xx (or a 200 granting 0 s) is an {@link RegistrationOutcome.Unreachable} of this one attempt (the caller
     * tries the next CallManager). Public so that {@code predict}'s offline network maps the simulated registrar's
     * answer exactly as this client does.
     */
    public static RegistrationOutcome answered(ConsoleLog log, CallManagerTarget target, SipMessage.Response r, Optional<String> cipherSuite) {
        return answered(log, target, r, cipherSuite, DigestStep.NONE);
    }

    /** As above, after the digest step {@code digest}: a challenge it stopped at is a refusal that says why. */
    static RegistrationOutcome answered(ConsoleLog log, CallManagerTarget target, SipMessage.Response r, Optional<String> cipherSuite,
                                        DigestStep digest) {
        String reason = RegisterAnswer.reason(r) + digest.stopped().map(SipRegistrationClient::why).orElse("");
        return switch (RegistrationPolicy.verdict(r.status())) {
            case REGISTERED -> {
                OptionalInt granted = RegisterAnswer.expires(r);
                if (granted.isPresent() && granted.getAsInt() == 0) {
                    // A 200 that grants 0 s removed the binding (RFC 3261 10.3): the phone is not registered there.
                    String why = "200 " + reason + " granted 0 s: no binding";
                    log.warn(SipConsole.badAnswer(target, why));
                    yield new RegistrationOutcome.Unreachable(List.of(new RegistrationOutcome.Attempt(target, AttemptFailure.MALFORMED_RESPONSE, why)));
                }
                int expires = granted.isPresent() ? granted.getAsInt() : RegistrationPolicy.REQUESTED_EXPIRES;
                log.notice(SipConsole.registered(target, expires));
                yield new RegistrationOutcome.Registered(target, expires, cipherSuite, digest.answeredAs());
            }
            case REFUSED -> {
                log.error(SipConsole.refused(target, r.status(), reason));
                yield new RegistrationOutcome.Refused(target, r.status(), reason);
            }
            case NEXT -> {
                log.warn(SipConsole.serverError(target, r.status(), reason));
                yield new RegistrationOutcome.Unreachable(List.of(
                        new RegistrationOutcome.Attempt(target, AttemptFailure.SERVER_ERROR, r.status() + " " + reason)));
            }
        };
    }

    /** The refusal's words for a challenge the digest step did not answer. */
    private static String why(DigestChallengePolicy.Decision d) {
        if (d instanceof DigestChallengePolicy.Decision.WrongCredentials w) {
            return ": wrong digest credentials (CallManager refused user " + w.user() + " in realm \"" + w.realm() + "\")";
        }
        if (d instanceof DigestChallengePolicy.Decision.NoCredentials n) {
            return ": CallManager asks for digest credentials (realm \"" + n.realm() + "\") and the configuration has none";
        }
        return d instanceof DigestChallengePolicy.Decision.Unanswerable u ? ": " + u.why() : "";
    }

    /**
     * Keeps the backup CallManager warm (docs/SIP.md §3): a keep-alive REGISTER ({@code Expires: 0}, {@code cisco-keep-alive})
     * on the connection kept to it, or on a new one that is kept when it is answered with a 2xx. Never fails.
     */
    private CompletableFuture<Void> keepWarm(Request request, CallManagerTarget backup) {
        String device = request.identity().deviceName();
        Optional<KeptConnection> open = reusable(request, backup);
        CiscoRegister.Dialog d = open.isPresent() ? open.get().next("z9hG4bK" + hex(6))
                : new CiscoRegister.Dialog(request.identity().mac().hex().toLowerCase() + "-" + hex(4), hex(4), 101, "z9hG4bK" + hex(6));
        String contact = open.map(KeptConnection::contactUser).orElseGet(() -> UUID.nameUUIDFromBytes(bytes(16)).toString());
        Function<InetSocketAddress, SipMessage.Request> keepAlive = local -> CiscoRegister.keepAlive(request.identity(), backup,
                local.getAddress().getHostAddress(), local.getPort(), contact, d, clock.instant());
        CompletableFuture<Attempt> sent;
        if (open.isPresent()) {
            sent = open.get().send(d, "REGISTER", keepAlive, options.responseTimeout(), request.log());
        } else {
            request.log().notice(SipConsole.connecting(backup));
            sent = resolve(backup).thenCompose(address -> limiter.run(new InetSocketAddress(address, backup.port()),
                    () -> connect(request, backup, address, d, "REGISTER", keepAlive, true)));
        }
        return sent.handle((a, err) -> {
            if (a instanceof Attempt.Answered answered) {
                request.log().notice(SipConsole.keepAliveAnswered(backup, answered.response().status(), answered.response().reason()));
                boolean ok = answered.response().status() / 100 == 2;
                if (answered.open().isPresent() && !(ok && kept.adopt(device, backup, answered.open().get(), contact, d, request.log(), terms(request), request.lostConnection()))) {
                    drop(request, backup, answered);
                }
            } else {
                request.log().warn(SipConsole.keepAliveFailed(backup, err != null ? org.phoneemu.tls.client.TlsFailures.rootMessage(err)
                        : ((Attempt.Failed) a).detail()));
            }
            return null;
        });
    }

    /**
     * The connection the device keeps to {@code target}, if this request may be sent on it now: opened in the same
     * security mode and presenting the same client certificate, and CallManager's certificate of its current TLS session
     * passes the request's trust rule today (new trust lists, a re-enrolment or a change of mode since it was opened
     * are judged again). One that may not is closed, said on the console, and a new connection is opened instead.
     */
    private Optional<KeptConnection> reusable(Request request, CallManagerTarget target) {
        Optional<KeptConnection> open = kept.get(request.identity().deviceName(), target);
        if (open.isEmpty()) {
            return open;
        }
        Optional<String> unfit = open.get().unfitFor(terms(request), request.trustedCallManager());
        if (unfit.isEmpty()) {
            return open;
        }
        request.log().notice(SipConsole.keptConnectionUnfit(target, unfit.get()));
        open.get().close();
        return Optional.empty();
    }

    /** Closes the connection an unused answer came on: a kept one through its handler, so its end is the phone's own. */
    private void drop(Request request, CallManagerTarget target, Attempt.Answered answered) {
        Optional<KeptConnection> k = kept.get(request.identity().deviceName(), target)
                .filter(c -> answered.open().filter(c.channel()::equals).isPresent());
        if (k.isPresent()) {
            k.get().close();
        } else {
            answered.close();
        }
    }

    private static KeptConnection.Terms terms(Request request) {
        return new KeptConnection.Terms(request.mode(), request.clientCertificate().map(KeyMaterial::certificate));
    }

    private CompletableFuture<Inet4Address> resolve(CallManagerTarget target) {
        try {
            return resolver.apply(target.node());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The connections kept open (docs/SIP.md §3); the registrations of {@link ConnectionUse#CLOSE} keep none. */
    public int keptConnections() {
        return kept.open();
    }

    /**
     * Keeps at most {@code n} connections open from now on (default 200, under the simulated registrar's cap per client
     * address): a fleet kept registered holds one or two per phone. Past it a registration's connection is closed after
     * its answer and the next REGISTER opens a new one.
     */
    public SipRegistrationClient keepConnectionsAtMost(int n) {
        kept.keepAtMost(n);
        return this;
    }

    /** Closes the connections {@code deviceName} keeps (the phone stops). */
    public void release(String deviceName) {
        kept.release(deviceName);
    }

    /** Closes every connection kept open, as the phones' own, before the event loops stop (which would end them as losses). */
    public void releaseAll() {
        kept.releaseAll();
    }

    /**
     * The phone's client certificate {@code identity} was replaced or deleted (CAPF): the connections kept open that
     * presented it are closed, so the next REGISTER opens a new one presenting the phone's certificate of now.
     */
    public void clientCertificateReplaced(KeyMaterial identity) {
        kept.releasePresenting(identity.certificate());
    }

    private final KeptConnections kept = new KeptConnections();

    private CompletableFuture<Attempt> attempt(Request request, CallManagerTarget target, CiscoRegister.Dialog dialog, String contactUser,
                                               Optional<KeptConnection> open) {
        if (open.isPresent()) {
            return open.get().send(dialog, "REGISTER", local -> CiscoRegister.build(request.identity(), target,
                    local.getAddress().getHostAddress(), local.getPort(), contactUser, dialog, clock.instant()),
                    options.responseTimeout(), request.log());
        }
        request.log().notice(SipConsole.connecting(target));
        CompletableFuture<Inet4Address> resolved;
        try {
            resolved = resolver.apply(target.node());
        } catch (RuntimeException e) {
            resolved = CompletableFuture.failedFuture(e);
        }
        return resolved.handle((address, err) -> {
            if (err != null) {
                String why = Ipv4.whyUnresolved(err, target.node());
                request.log().error(SipConsole.connectFailed(target, why));
                return CompletableFuture.<Attempt>completedFuture(new Attempt.Failed(AttemptFailure.CONNECT_FAILED, why));
            }
            Function<InetSocketAddress, SipMessage.Request> register = local -> CiscoRegister.build(request.identity(), target,
                    local.getAddress().getHostAddress(), local.getPort(), contactUser, dialog, clock.instant());
            return limiter.run(new InetSocketAddress(address, target.port()),
                    () -> connect(request, target, address, dialog, "REGISTER", register, request.connections() != ConnectionUse.CLOSE));
        }).thenCompose(f -> f);
    }

    /** Each connection to a CallManager from now on starts through {@code limiter} (a fleet's cap per server address). */
    public SipRegistrationClient limitConnections(org.phoneemu.net.ServerLimiter limiter) {
        this.limiter = java.util.Objects.requireNonNull(limiter, "limiter");
        return this;
    }

    /** Each connection starts through it (a fleet's cap per server). */
    private volatile org.phoneemu.net.ServerLimiter limiter = org.phoneemu.net.ServerLimiter.NONE;

    private CompletableFuture<Attempt> connect(Request request, CallManagerTarget target, Inet4Address address,
                                               CiscoRegister.Dialog dialog, String method,
                                               Function<InetSocketAddress, SipMessage.Request> register, boolean keep) {
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        String ip = address.getHostAddress();
        Bootstrap b;
        if (target.transport() == SipTransport.TLS) {
            java.util.function.Function<io.netty.buffer.ByteBufAllocator, io.netty.handler.ssl.SslHandler> tls;
            try {
                // One client context for every phone of the profile; each connection presents its own phone's certificate.
                tls = ClientTls.handlers(request.clientCertificate(), org.phoneemu.tls.client.TlsProfile.forSip(request.mode()));
            } catch (RuntimeException e) {
                request.log().error(SipConsole.tlsFailed(target, String.valueOf(e.getMessage())));
                result.complete(new Attempt.Failed(AttemptFailure.TLS_FAILED, String.valueOf(e.getMessage())));
                return result;
            }
            b = TlsConnections.bootstrap(group, options.connectTimeout(), options.handshakeTimeout(), tls,
                    p -> { },
                    ch -> {
                        codec(ch.pipeline());
                        ch.pipeline().addLast(DigestChallengeHandler.NAME, new DigestChallengeHandler(request.digest(), request.log(), target));
                        ch.pipeline().addLast("exchange", new TlsRegisterExchange(result, options, request.log(), target,
                                request.trustedCallManager(), dialog, method, register, keep));
                        tap.accept(ch);
                    });
        } else {
            b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            codec(ch.pipeline());
                            ch.pipeline().addLast(DigestChallengeHandler.NAME, new DigestChallengeHandler(request.digest(), request.log(), target));
                            ch.pipeline().addLast("exchange", new TcpRegisterExchange(result, options, request.log(), target, dialog,
                                    method, register, keep));
                            tap.accept(ch);
                        }
                    });
        }
        ChannelFuture connect;
        try {
            connect = b.connect(new InetSocketAddress(address, target.port()));
        } catch (RuntimeException e) {
            result.complete(new Attempt.Failed(AttemptFailure.CONNECT_FAILED, String.valueOf(e.getMessage())));
            return result;
        }
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                // The one connect-failure mapping (refused, timeout in the phone's words), as TVS, HTTPS and CAPF say it.
                String why = org.phoneemu.tls.client.ConnectFailure.of(f.cause(), options.connectTimeout()).why();
                request.log().error(SipConsole.connectFailed(target, why));
                result.complete(new Attempt.Failed(AttemptFailure.CONNECT_FAILED, why));
            }
        });
        return result;
    }

    private void codec(ChannelPipeline p) {
        p.addLast("decoder", new SipMessageDecoder(options.limits()));
        p.addLast("encoder", SipMessageEncoder.INSTANCE);
        p.addLast("provisional", new ProvisionalFilter());
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String hex(int n) {
        return HexFormat.of().formatHex(bytes(n));
    }
}
