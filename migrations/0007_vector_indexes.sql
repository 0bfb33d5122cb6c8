-- Approximate nearest-neighbour search over indexed product images by cosine distance (pgvector HNSW).
-- Filtered searches use it with iterative scans; small candidate sets are scanned exactly instead (README, "Visual and text search").
CREATE INDEX IF NOT EXISTS "product_images_embedding_hnsw_idx" ON "product_images" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64);
--> statement-breakpoint
-- The newest cached query embedding names the model in use, so a cache lookup never serves another model's vector.
CREATE INDEX IF NOT EXISTS "query_embeddings_created_idx" ON "query_embeddings" USING btree ("created_at" DESC);
