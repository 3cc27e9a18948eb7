package org.kafkatrain.faults.abuse;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A service's memory as the suite judges it: the Java heap in use after a full collection (through the platform's
 * MemoryMXBean, reached by attaching to the process and starting its local management agent, as jconsole does) and
 * the memory outside the heap, the process's resident set ({@code VmRSS} of {@code /proc/<pid>/status}) less the
 * heap's committed size: libtorch's tensors, glibc's arenas, thread stacks, metaspace and code.
 */
final class Memory {
    private static final long MIB = 1 << 20;

    /** One reading: heap used after a GC, heap committed, and the resident set, in bytes. */
    record Reading(long heapUsed, long heapCommitted, long rss) {
        long nativeBytes() {
            return rss - heapCommitted;
        }

        String describe() {
            return String.format(Locale.ROOT, "heap %d MB, native %d MB", heapUsed / MIB, nativeBytes() / MIB);
        }

        /** The growth from {@code before}, as a short text: {@code +3 / -12 MB}. */
        String growth(Reading before) {
            return String.format(
                    Locale.ROOT,
                    "%+d / %+d MB",
                    (heapUsed - before.heapUsed) / MIB,
                    (nativeBytes() - before.nativeBytes()) / MIB);
        }
    }

    /** How far above its level before a case a service may stay once the case is over. */
    record Tolerance(long heapBytes, long nativeBytes) {
        boolean admits(Reading before, Reading after) {
            return after.heapUsed - before.heapUsed <= heapBytes
                    && after.nativeBytes() - before.nativeBytes() <= nativeBytes;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap +%d MB, native +%d MB", heapBytes / MIB, nativeBytes / MIB);
        }
    }

    private final Map<Long, MemoryMXBean> beans = new HashMap<>();

    /**
     * Collects the process's garbage, then reads its heap and resident set.
     *
     * @throws IOException when the process cannot be attached to or has ended
     */
    Reading read(long pid) throws IOException {
        MemoryMXBean bean = bean(pid);
        MemoryUsage heap;
        try {
            bean.gc();
            heap = bean.getHeapMemoryUsage();
        } catch (RuntimeException e) {
            // the connection broke (the process restarted, or the agent went away): once more with a new one
            beans.remove(pid);
            bean = bean(pid);
            bean.gc();
            heap = bean.getHeapMemoryUsage();
        }
        return new Reading(heap.getUsed(), heap.getCommitted(), rss(pid));
    }

    /** {@code VmRSS} of the process, in bytes. */
    static long rss(long pid) throws IOException {
        return status(pid, "VmRSS:");
    }

    /** {@code VmHWM}, the process's peak resident set so far, in bytes. */
    static long peakRss(long pid) throws IOException {
        return status(pid, "VmHWM:");
    }

    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(
                                line.substring(field.length()).replace("kB", "").strip())
                        * 1024;
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }

    private MemoryMXBean bean(long pid) throws IOException {
        MemoryMXBean bean = beans.get(pid);
        if (bean != null) {
            return bean;
        }
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
        }
        // no background check of the connection: a process the suite restarts would have it warn on stderr
        JMXConnector connector = JMXConnectorFactory.connect(
                new JMXServiceURL(address), Map.of("jmx.remote.x.client.connection.check.period", 0L));
        MBeanServerConnection connection = connector.getMBeanServerConnection();
        bean = ManagementFactory.newPlatformMXBeanProxy(
                connection, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        beans.put(pid, bean);
        return bean;
    }
}
