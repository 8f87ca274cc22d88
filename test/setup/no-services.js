// For the fast lane: points the service addresses at a closed port, so a test that needs one fails instead of using it.
process.env.REDIS_URL = 'redis://127.0.0.1:1/15';
process.env.DATABASE_URL = 'postgres://127.0.0.1:1/none';
