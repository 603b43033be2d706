'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { greeting } = require('../src/greeting');

test('greets the named region', () => {
  assert.strictEqual(greeting('Seoul'), 'Public data for Seoul');
});

test('falls back to Korea for a blank region', () => {
  assert.strictEqual(greeting('  '), 'Public data for Korea');
  assert.strictEqual(greeting(undefined), 'Public data for Korea');
});
