-- Extensions the schema stands on: pgvector for image embeddings, pg_trgm for fuzzy catalog search.
CREATE EXTENSION IF NOT EXISTS vector;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
