// The harness's block-scoped steps, compiled CPS-transformed like the code under test so that their bodies run
// in the same continuation (and are serialized with it). Each one records entry and exit with the harness, which
// uses that context for its rules (input inside node, milestone inside parallel, secrets in scope).

def stage(String name, Closure body) { scoped('stage', name, body) }

def node(Closure body) { scoped('node', null, body) }

def node(String label, Closure body) { scoped('node', label, body) }

def timeout(Map args, Closure body) { scoped('timeout', args, body) }

def timeout(Integer minutes, Closure body) { scoped('timeout', [time: minutes], body) }

def withEnv(List pairs, Closure body) { scoped('withEnv', pairs, body) }

def withCredentials(List bindings, Closure body) { scoped('withCredentials', bindings, body) }

def lock(String resource, Closure body) { scoped('lock', [resource: resource], body) }

def lock(Map args, Closure body) { scoped('lock', args, body) }

def dir(String path, Closure body) { scoped('dir', path, body) }

def container(String name, Closure body) { scoped('container', name, body) }

def podTemplate(Map args, Closure body) { scoped('podTemplate', args, body) }

// Branches run one after another; as in Jenkins, a failing branch does not stop its siblings unless failFast is
// true (then the branches not yet finished are aborted), and the most severe failure is rethrown at the end.
def parallel(Map branches) {
    def names = []
    for (def key : branches.keySet()) { if (key != 'failFast') { names.add(key) } }
    boolean failFast = branches.get('failFast') == true
    def results = [:]
    def failures = []
    for (int i = 0; i < names.size(); i++) {
        def name = names.get(i)
        if (failFast && !failures.isEmpty()) {
            __harness.abortedBranch(name)
            continue
        }
        __harness.enter('parallel', name)
        try {
            results.put(name, branches.get(name).call())
        } catch (Throwable failure) {
            __harness.failed('parallel', name, failure)
            failures.add(failure)
        } finally {
            __harness.exit('parallel')
        }
    }
    if (!failures.isEmpty()) {
        throw __harness.mostSevere(failures)
    }
    return results
}

private def scoped(String kind, Object arg, Closure body) {
    __harness.enter(kind, arg)
    try {
        return body.call()
    } catch (Throwable failure) {
        __harness.failed(kind, arg, failure)
        throw failure
    } finally {
        __harness.exit(kind)
    }
}

def callVar(String name, Object global, Object[] args) {
    __harness.enter('var', name)
    try {
        return global.invokeMethod('call', args)
    } finally {
        __harness.exit('var')
    }
}
