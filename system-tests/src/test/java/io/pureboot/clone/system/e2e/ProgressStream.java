package io.pureboot.clone.system.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.pureboot.clone.events.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A session's Server-Sent Events stream, read as the console reads it, every data line kept. */
public final class ProgressStream implements AutoCloseable {

    private final List<JsonNode> updates = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile Stream<String> lines;

    private ProgressStream(URI uri, String bearer, Path record) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer)
                .header("Accept", "text/event-stream").build();
        reader = Thread.ofVirtual().name("sse " + uri).start(() -> {
            try {
                lines = client.send(request, HttpResponse.BodyHandlers.ofLines()).body();
                lines.filter(line -> line.startsWith("data:")).forEach(line -> {
                    try {
                        Files.writeString(record, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                        updates.add(EventCodec.mapper().readTree(line.substring("data:".length()).strip()));
                    } catch (IOException e) {
                        throw new IllegalStateException("not JSON on the progress stream: " + line, e);
                    }
                });
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the stream ended (closed by the test or the server)
            }
        });
    }

    /** Opens the stream; every data line is also appended to {@code record}. */
    public static ProgressStream open(URI uri, String bearer, Path record) {
        return new ProgressStream(uri, bearer, record);
    }

    /** Every session view received so far, in order. */
    public List<JsonNode> updates() {
        return List.copyOf(updates);
    }

    @Override
    public void close() {
        Stream<String> open = lines;
        if (open != null) {
            open.close();
        }
        reader.interrupt();
    }
}
