package com.koreapublicdata.pipeline.jenkins;

import com.cloudbees.groovy.cps.SerializableScript;
import groovy.lang.Binding;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;

/**
 * Base class of every script the harness compiles (Jenkinsfiles, vars/, the harness's own body steps). Like
 * Jenkins' CpsScript, it is not CPS-transformed itself, sends every unknown method to the harness as a step, and
 * keeps its binding across serialization (groovy.lang.Script's own field is not serialized).
 */
public abstract class HarnessScript extends SerializableScript {
    private static final long serialVersionUID = 1L;

    public Object methodMissing(String name, Object args) {
        return harness().step(this, name, (Object[]) args);
    }

    @Override
    public Object getProperty(String property) {
        Binding binding = getBinding();
        if (binding.hasVariable(property)) {
            return binding.getVariable(property);
        }
        // vars/ globals live apart from the binding so that calling one goes through methodMissing (recorded).
        Object global = ((java.util.Map<?, ?>) binding.getVariable(PipelineHarness.VARS_VARIABLE)).get(property);
        if (global != null) {
            return global;
        }
        try {
            return super.getProperty(property);
        } catch (groovy.lang.MissingPropertyException e) {
            // Jenkins resolves unknown names from the environment (env.X), as CpsScript does.
            Object value = ((EnvModel) binding.getVariable("env")).getProperty(property);
            if (value == null) {
                throw e;
            }
            return value;
        }
    }

    PipelineHarness harness() {
        return (PipelineHarness) getBinding().getVariable(PipelineHarness.HARNESS_VARIABLE);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeObject(getBinding().getVariables());
    }

    @SuppressWarnings("rawtypes")
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        setBinding(new Binding((Map) in.readObject()));
    }
}
