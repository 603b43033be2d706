'use strict';

/** Builds the page title for a region, the one piece of logic the tests pin down. */
function greeting(region) {
  const name = typeof region === 'string' && region.trim() !== '' ? region.trim() : 'Korea';
  return `Public data for ${name}`;
}

module.exports = { greeting };
