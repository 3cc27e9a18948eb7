package org.kafkatrain.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pickle (protocol 2) subset that {@code torch.save} uses for a checkpoint dict, in both directions. Values map
 * as: {@link Map} to dict ({@link OrderedMap} to {@code collections.OrderedDict}), {@link List} to list, {@link Tuple}
 * to tuple, {@link String}, {@link Long}/{@link Integer} to int, {@link Double} to float, {@link Boolean}, null to
 * None, and {@link TensorData} to a tensor rebuilt by {@code torch._utils._rebuild_tensor_v2} from a storage record
 * of the archive. Everything written stays inside what {@code torch.load(weights_only=True)} accepts.
 */
final class TorchPickle {
    private static final int PROTO = 0x80,
            STOP = '.',
            MARK = '(',
            EMPTY_DICT = '}',
            EMPTY_LIST = ']',
            EMPTY_TUPLE = ')',
            SETITEMS = 'u',
            SETITEM = 's',
            APPENDS = 'e',
            APPEND = 'a',
            TUPLE = 't',
            TUPLE1 = 0x85,
            TUPLE2 = 0x86,
            TUPLE3 = 0x87,
            BINUNICODE = 'X',
            SHORT_BINUNICODE = 0x8c,
            BININT = 'J',
            BININT1 = 'K',
            BININT2 = 'M',
            LONG1 = 0x8a,
            BINFLOAT = 'G',
            NEWTRUE = 0x88,
            NEWFALSE = 0x89,
            NONE = 'N',
            GLOBAL = 'c',
            REDUCE = 'R',
            BINPERSID = 'Q',
            BINPUT = 'q',
            LONG_BINPUT = 'r',
            BINGET = 'h',
            LONG_BINGET = 'j',
            MEMOIZE = 0x94,
            FRAME = 0x95;

    /** A Python tuple. */
    record Tuple(List<Object> items) {
        /** A tuple of these items; unlike {@link List#of} it may hold None (null). */
        static Tuple of(Object... items) {
            return new Tuple(Collections.unmodifiableList(Arrays.asList(items)));
        }
    }

    /** A {@code collections.OrderedDict}, as PyTorch's state dicts are. */
    static final class OrderedMap extends LinkedHashMap<String, Object> {}

    private TorchPickle() {}

    /** Pickles {@code value}; each tensor's bytes go to {@code storages} under the key its pickle refers to. */
    static byte[] write(Object value, List<TensorData> storages) {
        Writer w = new Writer(storages);
        w.out.write(PROTO);
        w.out.write(2);
        w.value(value);
        w.out.write(STOP);
        return w.out.toByteArray();
    }

    /**
     * Unpickles what {@link #write} (or torch.save for these types) produced; tensors come from {@code storage}. The
     * pickle comes from a file that may be hostile, so a length or tensor it states is checked against what is there
     * and against {@code limits} (of which the file's other entries already took {@code spent} bytes) before anything
     * is allocated for it.
     *
     * @throws IOException if the pickle states more than it holds, or a tensor beyond its storage or the limits
     */
    static Object read(byte[] pickle, Function<String, byte[]> storage, TorchFileLimits limits, long spent)
            throws IOException {
        return new Reader(pickle, storage, limits, spent).run();
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<TensorData> storages;

        Writer(List<TensorData> storages) {
            this.storages = storages;
        }

        void value(Object v) {
            if (v == null) {
                out.write(NONE);
            } else if (v instanceof Boolean b) {
                out.write(b ? NEWTRUE : NEWFALSE);
            } else if (v instanceof Integer || v instanceof Long) {
                integer(((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                out.write(BINFLOAT);
                out.writeBytes(ByteBuffer.allocate(8)
                        .order(ByteOrder.BIG_ENDIAN)
                        .putDouble(((Number) v).doubleValue())
                        .array());
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof Tuple t) {
                out.write(MARK);
                t.items().forEach(this::value);
                out.write(TUPLE);
            } else if (v instanceof List<?> list) {
                out.write(EMPTY_LIST);
                if (!list.isEmpty()) {
                    out.write(MARK);
                    list.forEach(this::value);
                    out.write(APPENDS);
                }
            } else if (v instanceof OrderedMap map) {
                global("collections", "OrderedDict");
                out.write(EMPTY_TUPLE);
                out.write(REDUCE);
                items(map);
            } else if (v instanceof Map<?, ?> map) {
                out.write(EMPTY_DICT);
                items(map);
            } else if (v instanceof TensorData t) {
                tensor(t);
            } else {
                throw new IllegalArgumentException(
                        "cannot pickle " + v.getClass().getName());
            }
        }

        void items(Map<?, ?> map) {
            if (map.isEmpty()) {
                return;
            }
            out.write(MARK);
            map.forEach((k, val) -> {
                value(k);
                value(val);
            });
            out.write(SETITEMS);
        }

        /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)}, as torch.save writes it. */
        void tensor(TensorData t) {
            String key = Integer.toString(storages.size());
            storages.add(t);
            global("torch._utils", "_rebuild_tensor_v2");
            out.write(MARK);
            out.write(MARK);
            string("storage");
            global("torch", t.dtype().storageClass);
            string(key);
            string("cpu");
            integer(t.numel());
            out.write(TUPLE);
            out.write(BINPERSID);
            integer(0);
            long[] shape = t.shape();
            long[] stride = new long[shape.length];
            for (int i = shape.length - 1, s = 1; i >= 0; s *= (int) shape[i], i--) {
                stride[i] = s;
            }
            longs(shape);
            longs(stride);
            out.write(NEWFALSE);
            global("collections", "OrderedDict");
            out.write(EMPTY_TUPLE);
            out.write(REDUCE);
            out.write(TUPLE);
            out.write(REDUCE);
        }

        void longs(long[] values) {
            out.write(MARK);
            for (long v : values) {
                integer(v);
            }
            out.write(TUPLE);
        }

        void integer(long v) {
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write(BININT);
                out.writeBytes(ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt((int) v)
                        .array());
            } else {
                out.write(LONG1);
                out.write(8);
                out.writeBytes(ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(v)
                        .array());
            }
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.write(BINUNICODE);
            out.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(utf8.length)
                    .array());
            out.writeBytes(utf8);
        }

        void global(String module, String name) {
            out.write(GLOBAL);
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final class Reader {
        private static final Object MARK_OBJECT = new Object();
        private final ByteBuffer in;
        private final Function<String, byte[]> storage;
        private final Deque<Object> stack = new ArrayDeque<>();
        private final Map<Integer, Object> memo = new HashMap<>();
        private final TorchFileLimits limits;
        /** The bytes the file has taken so far, against {@link TorchFileLimits#maxTotalBytes}. */
        private long total;

        Reader(byte[] pickle, Function<String, byte[]> storage, TorchFileLimits limits, long spent) {
            this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
            this.storage = storage;
            this.limits = limits;
            this.total = spent;
        }

        Object run() throws IOException {
            while (true) {
                int op = in.get() & 0xff;
                switch (op) {
                    case PROTO -> in.get();
                    case FRAME -> in.getLong();
                    case STOP -> {
                        return pop();
                    }
                    case MARK -> stack.push(MARK_OBJECT);
                    case EMPTY_DICT -> stack.push(new LinkedHashMap<>());
                    case EMPTY_LIST -> stack.push(new ArrayList<>());
                    case EMPTY_TUPLE -> stack.push(new Tuple(List.of()));
                    case NONE -> stack.push(NullValue.INSTANCE);
                    case NEWTRUE -> stack.push(Boolean.TRUE);
                    case NEWFALSE -> stack.push(Boolean.FALSE);
                    case BININT -> stack.push((long) in.getInt());
                    case BININT1 -> stack.push((long) (in.get() & 0xff));
                    case BININT2 -> stack.push((long) (in.getShort() & 0xffff));
                    case LONG1 -> stack.push(readLong1());
                    case BINFLOAT -> {
                        stack.push(in.order(ByteOrder.BIG_ENDIAN).getDouble());
                        in.order(ByteOrder.LITTLE_ENDIAN);
                    }
                    case BINUNICODE -> stack.push(readString(in.getInt()));
                    case SHORT_BINUNICODE -> stack.push(readString(in.get() & 0xff));
                    case BINPUT -> memo.put(in.get() & 0xff, stack.peek());
                    case LONG_BINPUT -> memo.put(in.getInt(), stack.peek());
                    case MEMOIZE -> memo.put(memo.size(), stack.peek());
                    case BINGET -> stack.push(memo.get(in.get() & 0xff));
                    case LONG_BINGET -> stack.push(memo.get(in.getInt()));
                    case TUPLE -> stack.push(new Tuple(popToMark()));
                    case TUPLE1 -> stack.push(Tuple.of(pop()));
                    case TUPLE2 -> {
                        Object b = pop();
                        stack.push(Tuple.of(pop(), b));
                    }
                    case TUPLE3 -> {
                        Object c = pop();
                        Object b = pop();
                        stack.push(Tuple.of(pop(), b, c));
                    }
                    case APPENDS -> {
                        List<Object> items = popToMark();
                        list(stack.peek()).addAll(items);
                    }
                    case APPEND -> {
                        Object item = pop();
                        list(stack.peek()).add(item);
                    }
                    case SETITEMS -> {
                        List<Object> items = popToMark();
                        for (int i = 0; i < items.size(); i += 2) {
                            map(stack.peek()).put(items.get(i), items.get(i + 1));
                        }
                    }
                    case SETITEM -> {
                        Object v = pop();
                        Object k = pop();
                        map(stack.peek()).put(k, v);
                    }
                    case GLOBAL -> stack.push(new Global(readLine() + "." + readLine()));
                    case BINPERSID -> stack.push(persistent((Tuple) stack.pop()));
                    case REDUCE -> {
                        Tuple args = (Tuple) stack.pop();
                        stack.push(reduce((Global) stack.pop(), args));
                    }
                    default ->
                        throw new IllegalArgumentException("unsupported pickle opcode 0x" + Integer.toHexString(op)
                                + " at " + (in.position() - 1));
                }
            }
        }

        private Object reduce(Global global, Tuple args) throws IOException {
            return switch (global.name()) {
                case "collections.OrderedDict" -> new OrderedMap();
                case "torch._utils._rebuild_tensor_v2" -> {
                    StorageRef ref = (StorageRef) args.items().get(0);
                    long offset = (Long) args.items().get(1);
                    long[] shape = longs((Tuple) args.items().get(2));
                    long[] stride = longs((Tuple) args.items().get(3));
                    byte[] all = checkedStorage(ref, offset, shape, stride);
                    yield new TensorData(ref.dtype(), shape, gather(all, ref.dtype().bytes, offset, shape, stride));
                }
                default -> throw new IllegalArgumentException("unsupported pickle global " + global.name());
            };
        }

        private static long[] longs(Tuple t) {
            return t.items().stream().mapToLong(o -> (Long) o).toArray();
        }

        /**
         * The storage of a tensor with this offset, shape and stride, once the tensor is known to stay inside it and
         * within the limits; its bytes count against the file's total. Checked before {@link #gather} allocates: the
         * shape is the file's word, and a stride of 0 lets a one-element storage stand for any number of elements.
         */
        private byte[] checkedStorage(StorageRef ref, long offset, long[] shape, long[] stride) throws IOException {
            String tensor = "tensor of storage data/" + ref.key() + " (" + ref.dtype() + Arrays.toString(shape)
                    + ", stride " + Arrays.toString(stride) + ", offset " + offset + ")";
            if (stride.length != shape.length
                    || offset < 0
                    || Arrays.stream(shape).anyMatch(n -> n < 0)
                    || Arrays.stream(stride).anyMatch(n -> n < 0)) {
                throw new IOException(
                        tensor + ": not a view torch.save writes (a negative number, or no stride per size)");
            }
            long bytes;
            long reach; // the bytes of storage it reads, up to the end of its furthest element
            try {
                long numel = 1;
                long last = offset;
                for (int d = 0; d < shape.length; d++) {
                    numel = Math.multiplyExact(numel, shape[d]);
                    last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
                }
                int size = ref.dtype().bytes;
                bytes = Math.multiplyExact(numel, size);
                reach = Math.multiplyExact(numel == 0 ? offset : last + 1, size);
            } catch (ArithmeticException e) {
                throw new IOException(tensor + ": its sizes overflow a long", e);
            }
            if (bytes > limits.maxTensorBytes()) {
                throw new IOException(
                        tensor + " takes " + bytes + " bytes, more than maxTensorBytes " + limits.maxTensorBytes());
            }
            if (bytes > limits.maxTotalBytes() - total) {
                throw new IOException(tensor + " takes " + bytes + " bytes after " + total
                        + ", more than maxTotalBytes " + limits.maxTotalBytes() + " in all");
            }
            byte[] all = storage.apply(ref.key());
            if (reach > all.length) {
                throw new IOException(tensor + " reads " + reach + " bytes of its storage, which holds " + all.length
                        + " bytes: the file is truncated or not what torch.save wrote");
            }
            total += bytes;
            return all;
        }

        /**
         * The tensor's elements in row-major order from its storage, as {@code as_strided(size, stride, offset)}
         * reads them: a contiguous tensor is one slice; a transposed, sliced or expanded one (stride 0) is gathered
         * element by element.
         */
        private static byte[] gather(byte[] all, int size, long offset, long[] shape, long[] stride) {
            long numel = TensorData.numel(shape);
            long[] contiguous = new long[shape.length];
            long s = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                contiguous[d] = s;
                s *= shape[d];
            }
            boolean isContiguous = true;
            for (int d = 0; d < shape.length; d++) {
                isContiguous &= shape[d] == 1 || stride[d] == contiguous[d];
            }
            if (isContiguous) {
                return Arrays.copyOfRange(
                        all, Math.toIntExact(offset * size), Math.toIntExact((offset + numel) * size));
            }
            byte[] out = new byte[Math.toIntExact(numel * size)];
            long[] index = new long[shape.length];
            for (long i = 0; i < numel; i++) {
                long at = offset;
                for (int d = 0; d < shape.length; d++) {
                    at += index[d] * stride[d];
                }
                System.arraycopy(all, Math.toIntExact(at * size), out, Math.toIntExact(i * size), size);
                for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                    index[d] = 0;
                }
            }
            return out;
        }

        private StorageRef persistent(Tuple id) {
            Global type = (Global) id.items().get(1);
            String storageClass = type.name().substring(type.name().lastIndexOf('.') + 1);
            return new StorageRef(TensorData.DType.ofStorage(storageClass), (String)
                    id.items().get(2));
        }

        /** The top of the stack, with None as null (the stack itself cannot hold null). */
        private Object pop() {
            Object o = stack.pop();
            return o == NullValue.INSTANCE ? null : o;
        }

        private List<Object> popToMark() {
            List<Object> items = new ArrayList<>();
            for (Object o = stack.pop(); o != MARK_OBJECT; o = stack.pop()) {
                items.add(0, o == NullValue.INSTANCE ? null : o);
            }
            return items;
        }

        @SuppressWarnings("unchecked")
        private static List<Object> list(Object o) {
            return (List<Object>) o;
        }

        @SuppressWarnings("unchecked")
        private static Map<Object, Object> map(Object o) {
            return (Map<Object, Object>) o;
        }

        private long readLong1() {
            int n = in.get() & 0xff;
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (in.get() & 0xff) << (8 * i);
            }
            if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
                v |= -1L << (8 * n); // sign-extend
            }
            return v;
        }

        private String readString(int length) throws IOException {
            if (length < 0 || length > in.remaining()) { // before allocating: the length is the file's word
                throw new IOException("pickle string at " + in.position() + " states " + length + " bytes where "
                        + in.remaining() + " remain");
            }
            byte[] b = new byte[length];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private String readLine() {
            StringBuilder sb = new StringBuilder();
            for (byte b = in.get(); b != '\n'; b = in.get()) {
                sb.append((char) b);
            }
            return sb.toString();
        }

        private record Global(String name) {}

        private record StorageRef(TensorData.DType dtype, String key) {}

        /** Stands for None on the stack, where null cannot go. */
        private enum NullValue {
            INSTANCE
        }
    }
}
