package com.koreapublicdata.pipeline.deploy.kubernetes;

/** A wait ended badly: the workload failed, was deleted, or the timeout passed. The message says which. */
public final class WaitFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WaitFailure(String message) {
        super(message);
    }
}
