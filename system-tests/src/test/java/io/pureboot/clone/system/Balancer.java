package io.pureboot.clone.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a Kubernetes Service does for the replicas of one service, on loopback: each new TCP connection goes to the
 * next replica in turn that accepts it. A killed replica's connections break (its callers retry, as against a pod
 * that died) and, refusing connections, it gets no new ones until a replica listens on its port again.
 */
final class Balancer implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private final ServerSocket front;
    private final List<Integer> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private Balancer(ServerSocket front) {
        this.front = front;
    }

    /** A balancer on a free loopback port, accepting at once; connections wait for a backend ({@link #add}). */
    static Balancer start() throws IOException {
        Balancer balancer = new Balancer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name("balancer-" + balancer.front.getLocalPort()).start(balancer::acceptLoop);
        return balancer;
    }

    void add(int backendPort) {
        backends.add(backendPort);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + front.getLocalPort());
    }

    private void acceptLoop() {
        while (!front.isClosed()) {
            try {
                Socket client = front.accept();
                Thread.ofVirtual().start(() -> forward(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        try (client; Socket backend = connectToAny()) {
            if (backend == null) {
                return;
            }
            Thread upstream = Thread.ofVirtual().start(() -> pipe(client, backend));
            pipe(backend, client);
            upstream.join();
        } catch (IOException | InterruptedException broken) {
            // a replica died or a side hung up: the connection ends, as it would through a Service
        }
    }

    /** The next backend in turn that accepts a connection, or null when none does. */
    private Socket connectToAny() {
        int count = backends.size();
        for (int tried = 0; tried < count; tried++) {
            int port = backends.get(Math.floorMod(next.getAndIncrement(), count));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
                return socket;
            } catch (IOException refused) {
                closeQuietly(socket);
            }
        }
        return null;
    }

    /** Copies until either side ends, then closes both, so the other direction ends too. */
    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException broken) {
            // the peer died or reset: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken socket
        }
    }

    @Override
    public void close() throws IOException {
        front.close();
    }
}
