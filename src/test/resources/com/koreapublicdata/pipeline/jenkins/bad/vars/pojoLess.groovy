// Deliberately bad: readJSON without returnPojo (json-lib's JSONNull is truthy).
void call(Map parameters = [:]) {
    node {
        echo('x: ' + readJSON(text: '{"x": null}').x)
    }
}
