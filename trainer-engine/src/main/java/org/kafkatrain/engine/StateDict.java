package org.kafkatrain.engine;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Names of a module's tensors in PyTorch's {@code state_dict()} order: per module, its parameters then its buffers. */
public final class StateDict {
    private StateDict() {}

    /** Parameters in {@code model.parameters()} order, the order optimizer state is indexed by. */
    public static Map<String, Tensor> namedParameters(Module module) {
        return copy(module.named_parameters(true), "");
    }

    /** Every parameter and buffer, named and ordered as {@code module.state_dict()} in PyTorch. */
    public static Map<String, Tensor> of(Module module) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        StringSharedModuleDict modules = module.named_modules();
        for (long i = 0; i < modules.size(); i++) {
            var item = modules.get(i);
            // The root module's name is the empty string, which the binding hands back as a null pointer.
            String name = item.key() == null ? "" : item.key().getString();
            Module m = item.value();
            String prefix = name.isEmpty() ? "" : name + ".";
            state.putAll(copy(m.named_parameters(false), prefix));
            state.putAll(copy(m.named_buffers(false), prefix));
        }
        return state;
    }

    /** The submodules whose C++ type name contains {@code type} ({@code "BatchNorm"}), in registration order. */
    public static List<Module> modules(Module module, String type) {
        List<Module> found = new ArrayList<>();
        StringSharedModuleDict modules = module.named_modules();
        for (long i = 0; i < modules.size(); i++) {
            Module m = modules.get(i).value();
            if (m.name().getString().contains(type)) {
                found.add(m);
            }
        }
        return found;
    }

    private static Map<String, Tensor> copy(StringTensorDict dict, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (long i = 0; i < dict.size(); i++) {
            var item = dict.get(i);
            // The item is a view into a temporary: take our own reference to the tensor before the dict goes away.
            out.put(prefix + item.key().getString(), new Tensor(item.value()));
        }
        return out;
    }
}
