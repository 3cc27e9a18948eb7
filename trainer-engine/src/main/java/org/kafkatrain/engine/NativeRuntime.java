package org.kafkatrain.engine;

/** What every process that trains or predicts sets in the native libraries under the engine, before its first step. */
public final class NativeRuntime {
    private NativeRuntime() {}

    /** {@code intraOp} CPU threads ({@link CpuThreads}) and an allocator that keeps what a step frees ({@link GlibcMalloc}). */
    public static void prepare(int intraOp) {
        CpuThreads.use(intraOp);
        GlibcMalloc.keepFreedMemory();
    }
}
