// The settings that keep the app from being an SMS pump: limits per client address, allowed countries, who may read /metrics.
'use strict';

const MAX_LIMIT = 10_000;
const MAX_WINDOW_MINUTES = 1440;

/**
 * @param {Record<string, string | undefined>} env
 * @returns the `limits`, `allowedCountries` and `metricsToken` settings of `readConfig()`
 */
function readTrafficConfig(env) {
  return {
    // Per client address (IPv6: per /56). Failed sign-ins only; every sign-up; every send request of each send form.
    limits: {
      login: limitOf(env, 'LOGIN_RATE_LIMIT', 10, 'LOGIN_RATE_LIMIT_WINDOW_MINUTES', 15),
      signup: limitOf(env, 'SIGNUP_RATE_LIMIT', 5, 'SIGNUP_RATE_LIMIT_WINDOW_MINUTES', 60),
      send: limitOf(env, 'SEND_RATE_LIMIT', 10, 'SEND_RATE_LIMIT_WINDOW_MINUTES', 60),
    },
    allowedCountries: readCountries(env.ALLOWED_COUNTRIES),
    metricsToken: readMetricsToken(env.METRICS_TOKEN),
  };
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name  the variable of the count
 * @param {number} fallback
 * @param {string} windowName  the variable of the window, in minutes
 * @param {number} fallbackMinutes
 */
function limitOf(env, name, fallback, windowName, fallbackMinutes) {
  return {
    limit: wholeNumber(env, name, fallback, MAX_LIMIT),
    windowMinutes: wholeNumber(env, windowName, fallbackMinutes, MAX_WINDOW_MINUTES),
  };
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} max
 */
function wholeNumber(env, name, fallback, max) {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max}; got ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

/**
 * `US,CA` → ['US', 'CA']; unset or `*`: every country (undefined).
 * @param {string | undefined} value
 */
function readCountries(value) {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const countries = value.split(',').map((entry) => entry.trim().toUpperCase());
  const wrong = countries.filter((country) => !/^[A-Z]{2}$/.test(country));
  if (wrong.length > 0) {
    throw new Error(
      `ALLOWED_COUNTRIES must be two-letter country codes separated by commas, such as US,CA (or * for every country); ${JSON.stringify(wrong[0])} is not one.`,
    );
  }
  return [...new Set(countries)];
}

/** @param {string | undefined} value */
function readMetricsToken(value) {
  if (value === undefined || value === '') return undefined;
  if (value.length < 32)
    throw new Error(
      'METRICS_TOKEN must be at least 32 characters (e.g. `openssl rand -base64 32`); unset, /metrics answers this machine only.',
    );
  return value;
}

/**
 * What an operator should hear at start-up: in production, codes may go to any country in the world.
 * @param {{ production: boolean, allowedCountries?: string[] }} config
 * @returns {string[]}
 */
function trafficWarnings(config) {
  if (!config.production || config.allowedCountries) return [];
  return [
    'ALLOWED_COUNTRIES is not set: codes may be sent to every country, premium destinations included. Set it to the countries your users live in (e.g. ALLOWED_COUNTRIES=US,CA).',
  ];
}

module.exports = { readTrafficConfig, trafficWarnings };
