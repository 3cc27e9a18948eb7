package org.kafkatrain.engine;

/**
 * How much reading one {@code torch.save} file may allocate. Checkpoints and init weights come from users and from S3,
 * so the sizes a file states (zip headers, pickle lengths, tensor shapes and strides) are checked against these before
 * anything is allocated for them, and a file beyond them is refused rather than read.
 *
 * @param maxEntryBytes  the most bytes one zip entry (a tensor storage, or the pickle) may inflate to
 * @param maxTensorBytes the most bytes one tensor may take once read; a strided view (stride 0 expands) can need far
 *                       more than its storage
 * @param maxTotalBytes  the most bytes all entries and tensors of one file may take together, so that many entries or
 *                       many views of one small storage cannot add up to what no single one may take
 */
public record TorchFileLimits(long maxEntryBytes, long maxTensorBytes, long maxTotalBytes) {
    /** The most bytes one Java array holds: an entry or a tensor is read into one. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Well above the largest file this project reads: ResNet-152 (60.2M parameters) with Adam's two moments is about
     * 0.72 GB of float32 storages, each at most about 9.4 MB (a 512x512x3x3 convolution), and reading one holds the
     * storages and the tensors built from them, about 1.5 GB. So 1 GiB allows even a file that keeps all of that in one
     * storage (as a flattened optimizer does) or one tensor, and 4 GiB in all is over twice what such a file takes.
     */
    public static final TorchFileLimits DEFAULT = new TorchFileLimits(1L << 30, 1L << 30, 4L << 30);

    public TorchFileLimits {
        if (maxEntryBytes < 0 || maxEntryBytes > MAX_ARRAY || maxTensorBytes < 0 || maxTensorBytes > MAX_ARRAY) {
            throw new IllegalArgumentException("an entry or a tensor is one Java array: each limit must be 0 to "
                    + MAX_ARRAY + " bytes, not " + maxEntryBytes + " and " + maxTensorBytes);
        }
        if (maxTotalBytes < 0) {
            throw new IllegalArgumentException("maxTotalBytes must not be negative: " + maxTotalBytes);
        }
    }
}
