package com.koreapublicdata.pipeline.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a korea.yaml field. One text serves the validator's messages, the JSON Schema and the
 * generated reference, so the three never drift apart.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE, ElementType.FIELD})
public @interface Doc {
    /** What the field means, in one or two sentences. */
    String value();

    /** The default, as the user would write it; empty when there is none. */
    String defaultValue() default "";

    /** A pattern the string value must match (JSON Schema syntax); empty for none. */
    String pattern() default "";

    /** Whether the key must be present. */
    boolean required() default false;
}
