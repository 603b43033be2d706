package com.koreapublicdata.pipeline.jenkins;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** What {@code @Library('...') _} compiles against in the harness (the harness loads the library itself). */
@Retention(RetentionPolicy.SOURCE)
public @interface LibraryMarker {
    String[] value() default {};
}
