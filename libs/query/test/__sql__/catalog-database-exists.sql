SELECT 1 FROM pg_database WHERE datname = $1
-- params: ["tessera"]
