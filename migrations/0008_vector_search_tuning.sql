-- Filtered vector search, tuned by `npm run bench:search` (README, "Visual and text search").
-- The HNSW index is rebuilt with ef_construction 128: at 64 the graph left some images unreachable on catalog-like
-- data (clusters of near-duplicate photos), and no ef_search at query time could find them (recall@10 0.77 on a
-- mid-size tenant; 0.99–1.00 at 128). It is dropped first so the rewrite below does not insert into it row by row.
DROP INDEX IF EXISTS "product_images_embedding_hnsw_idx";
--> statement-breakpoint
-- A 512-d vector (2,056 bytes) pushes an image row past Postgres' 2 kB TOAST threshold, so every distance an exact
-- scan computed read the TOAST table first (four buffer reads per row). PLAIN storage keeps vectors in the row; the
-- rewrite moves the vectors already stored out of line back in.
ALTER TABLE "product_images" ALTER COLUMN "embedding" SET STORAGE PLAIN;
--> statement-breakpoint
UPDATE "product_images" SET "embedding" = "embedding"::real[]::vector WHERE "embedding" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "category_centroids" ALTER COLUMN "centroid" SET STORAGE PLAIN;
--> statement-breakpoint
UPDATE "category_centroids" SET "centroid" = "centroid"::real[]::vector;
--> statement-breakpoint
CREATE INDEX "product_images_embedding_hnsw_idx" ON "product_images" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 128);
