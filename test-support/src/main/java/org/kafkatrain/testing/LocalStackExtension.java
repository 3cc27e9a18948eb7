package org.kafkatrain.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(LocalStackExtension.class)}: the tests' own local stack is up before the class's tests,
 * and stopped once the whole test run of this JVM is over.
 */
public class LocalStackExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        LocalStack stack = LocalStack.ensureRunning();
        // A value of the root store that is AutoCloseable is closed when the engine finishes: one stop per JVM.
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(LocalStackExtension.class, key ->
                (AutoCloseable) stack::stop);
    }
}
