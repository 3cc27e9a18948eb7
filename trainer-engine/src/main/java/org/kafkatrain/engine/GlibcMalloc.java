package org.kafkatrain.engine;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.util.logging.Logger;

/**
 * glibc's allocator told to keep the memory a training step frees, so that the next step reuses it instead of
 * faulting it in afresh.
 * <p>
 * On the CPU, libtorch takes every tensor from {@code malloc} and caches nothing, and a step allocates and frees the
 * same activations, gradients and autocast copies as the one before. With glibc's defaults much of that goes back to
 * the kernel when it is freed (a chunk above the mmap threshold is unmapped; a free heap top above the trim threshold
 * is released), and the next step takes a page fault, and a page zeroed by the kernel, for every 4 KiB of it again.
 * Measured with {@code ComputeBench} (ResNet-50, bf16 + channels_last, batch 32, 28 px, 2 cores, 35 steps, a JVM
 * each, alternating): glibc's defaults 1.1-1.3 M minor faults, 7-10 s of system time and 157-163 img/s; with these
 * settings 0.7 M faults (0.5 M of them the pre-touched Java heap), 1.8-1.9 s and 237-241 img/s. Either setting alone
 * kept most of the loss. PyTorch's own process, on the same work, took 0.26-0.33 M faults and 0.8-1.2 s.
 * <p>
 * Set once per process, before or after libtorch loads ({@code mallopt} changes the allocator's global parameters,
 * which every arena reads on each call); where the C library is not glibc it logs why and changes nothing.
 */
public final class GlibcMalloc {
    private static final Logger LOG = Logger.getLogger(GlibcMalloc.class.getName());

    /** {@code M_TRIM_THRESHOLD}, {@code M_TOP_PAD} and {@code M_MMAP_THRESHOLD} from glibc's {@code malloc.h}. */
    private static final int M_TRIM_THRESHOLD = -1;

    private static final int M_TOP_PAD = -2;

    private static final int M_MMAP_THRESHOLD = -3;

    /** glibc's largest mmap threshold on 64-bit: blocks up to 32 MiB come from the arenas and are reused. */
    static final int MMAP_THRESHOLD = 32 << 20;

    /** A free heap top is kept up to this size: a step's worth of tensors at the sizes this engine trains. */
    static final int TRIM_THRESHOLD = 256 << 20;

    /**
     * Each growth of an arena's heap takes this much more than asked, and a trim leaves it: without it, steps still
     * faulted 13,000 pages (50 MiB) every few steps, a heap given back whole and mapped again.
     */
    static final int TOP_PAD = 64 << 20;

    private static boolean applied;

    private GlibcMalloc() {}

    /** Applies the three settings (once per process); {@code false} where they could not be set, with the reason logged. */
    public static synchronized boolean keepFreedMemory() {
        if (!applied) {
            try {
                applied = Mallopt.set(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                        && Mallopt.set(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
                        && Mallopt.set(M_TOP_PAD, TOP_PAD);
                LOG.info(
                        applied
                                ? "glibc malloc keeps freed memory for the next step: mmap threshold 32 MiB, trim threshold"
                                        + " 256 MiB, top pad 64 MiB"
                                : "glibc's mallopt refused the thresholds; tensors' memory goes back to the kernel as freed");
            } catch (LinkageError e) {
                // musl, macOS: no mallopt, or one with other parameters; their allocators keep their own policy.
                LOG.info(
                        "no glibc mallopt here (" + e.getMessage() + "); the C library's allocator keeps its defaults");
            }
        }
        return applied;
    }

    /** Gives the free memory of glibc's heaps back to the kernel ({@code malloc_trim(0)}); nothing elsewhere. */
    public static void trim() {
        try {
            Mallopt.malloc_trim(0);
        } catch (LinkageError e) {
            // not glibc: its allocator returns memory by its own policy
        }
    }

    /** Bound on first use, so that a C library without {@code mallopt} fails in {@link #keepFreedMemory} alone. */
    private static final class Mallopt {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        private static native int mallopt(int param, int value);

        private static native int malloc_trim(long pad);

        static boolean set(int param, int value) {
            return mallopt(param, value) == 1;
        }
    }
}
