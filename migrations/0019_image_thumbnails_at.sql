ALTER TABLE "product_images" ADD COLUMN "thumbnails_at" timestamp with time zone;--> statement-breakpoint
UPDATE "product_images" SET "thumbnails_at" = "updated_at" WHERE "status" = 'ready';
