package org.kafkatrain.engine;

/** What every process that trains or predicts sets in the native libraries under the engine, before its first step. */
public final class NativeRuntime {
    private NativeRuntime() {}

    /** {@code intraOp} CPU threads ({@link CpuThreads}) and an allocator that keeps what a step frees ({@link GlibcMalloc}). */
    public static void prepare(int intraOp) {
        CpuThreads.use(intraOp);
        GlibcMalloc.keepFreedMemory();
    }

    /**
     * Frees the native memory of tensors and modules no longer referenced from Java, and gives the allocator's free
     * memory back to the kernel; for the end of a run, when its weights, gradients and optimizer state were let go.
     * JavaCPP frees native objects only once a GC finds their Java wrappers unreachable, and a trainer's heap stays
     * so small that a GC may not come for many runs; the allocator keeps freed memory for the next step
     * ({@link GlibcMalloc}), which between runs is memory the host could use.
     */
    public static void releaseUnreferenced() {
        System.gc();
        org.bytedeco.javacpp.Pointer.deallocateReferences();
        GlibcMalloc.trim();
    }
}
