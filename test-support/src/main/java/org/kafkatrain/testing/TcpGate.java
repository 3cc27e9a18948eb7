package org.kafkatrain.testing;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a real server that can be shut: shutting it cuts the connections it carries (clients
 * pool keep-alive connections), and while shut every new connection is closed at once, as a server that has gone
 * away does; while open, bytes go both ways unchanged. Lets a test take the real S3 server
 * away and give it back without stopping it for the other tests.
 */
public final class TcpGate implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final String scheme;
    private final Set<Socket> carried = ConcurrentHashMap.newKeySet();
    private volatile boolean open;

    /** A gate to 127.0.0.1:{@code targetPort}, shut until {@link #open} opens it. */
    public TcpGate(int targetPort) throws IOException {
        this(targetPort, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http");
    }

    /**
     * A gate that terminates TLS with {@code tls}'s certificate and forwards plain bytes: an {@code https} front
     * for a plain server, as a load balancer with a private CA puts in front of S3.
     */
    public static TcpGate withTls(int targetPort, SSLContext tls) throws IOException {
        return new TcpGate(
                targetPort,
                tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                "https");
    }

    private TcpGate(int targetPort, ServerSocket server, String scheme) {
        this.targetPort = targetPort;
        this.server = server;
        this.scheme = scheme;
        Thread acceptor = new Thread(this::accept, "tcp-gate");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return scheme + "://127.0.0.1:" + server.getLocalPort();
    }

    public void open(boolean value) {
        open = value;
        if (!value) {
            for (Socket s : carried) {
                closeQuietly(s);
            }
            carried.clear();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!open) {
                    client.close();
                    continue;
                }
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                carried.add(client);
                carried.add(target);
                pipe(client, target);
                pipe(target, client);
            } catch (IOException e) {
                // the gate was closed, or one connection failed: go on accepting while the server socket lives
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // the other side hung up
                    } finally {
                        try {
                            from.close();
                            to.close();
                        } catch (IOException ignored) {
                            // already closed
                        }
                    }
                },
                "tcp-gate-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
