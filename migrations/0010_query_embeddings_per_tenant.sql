-- The query-embedding cache becomes per tenant; cached vectors have no tenant and are only a cache, so they go.
DELETE FROM "query_embeddings";--> statement-breakpoint
ALTER TABLE "query_embeddings" DROP CONSTRAINT "query_embeddings_model_key_pk";--> statement-breakpoint
ALTER TABLE "query_embeddings" ADD COLUMN "tenant_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "query_embeddings" ADD CONSTRAINT "query_embeddings_tenant_id_model_key_pk" PRIMARY KEY("tenant_id","model","key");--> statement-breakpoint
ALTER TABLE "query_embeddings" ADD CONSTRAINT "query_embeddings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
