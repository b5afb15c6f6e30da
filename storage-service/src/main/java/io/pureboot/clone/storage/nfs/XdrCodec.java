package io.pureboot.clone.storage.nfs;

import java.io.IOException;
import org.dcache.oncrpc4j.rpc.OncRpcException;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** Arguments and results of one RPC written as lambdas instead of one class per procedure. */
final class XdrCodec {

    private XdrCodec() {
    }

    /** Writes the arguments of a call. */
    @FunctionalInterface
    interface Writer {
        void write(XdrEncodingStream xdr) throws IOException;
    }

    /** Reads the result of a call. */
    @FunctionalInterface
    interface Reader<T> {
        T read(XdrDecodingStream xdr) throws IOException;
    }

    static final Writer NO_ARGUMENTS = xdr -> {
    };

    static XdrAble arguments(Writer writer) {
        return new XdrAble() {
            @Override
            public void xdrEncode(XdrEncodingStream xdr) throws OncRpcException, IOException {
                writer.write(xdr);
            }

            @Override
            public void xdrDecode(XdrDecodingStream xdr) {
                throw new UnsupportedOperationException("arguments are only encoded");
            }
        };
    }

    /** A result holder: decodes once, then {@link Result#value()} returns what the reader made. */
    static <T> Result<T> result(Reader<T> reader) {
        return new Result<>(reader);
    }

    /** The decoded result of one call. */
    static final class Result<T> implements XdrAble {

        private final Reader<T> reader;
        private T value;

        private Result(Reader<T> reader) {
            this.reader = reader;
        }

        @Override
        public void xdrDecode(XdrDecodingStream xdr) throws OncRpcException, IOException {
            value = reader.read(xdr);
        }

        @Override
        public void xdrEncode(XdrEncodingStream xdr) {
            throw new UnsupportedOperationException("results are only decoded");
        }

        T value() {
            return value;
        }
    }
}
