ALTER TABLE "plans" ADD COLUMN "requests_per_day" integer;--> statement-breakpoint
UPDATE "plans" SET "requests_per_day" = 10000 WHERE "id" = 'starter';--> statement-breakpoint
UPDATE "plans" SET "requests_per_day" = 200000 WHERE "id" = 'professional';
