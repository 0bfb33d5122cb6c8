CREATE TABLE "inventory_levels" (
	"tenant_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"location" text NOT NULL,
	"on_hand" integer NOT NULL,
	"reserved" integer NOT NULL,
	"available" integer NOT NULL,
	"low_stock_threshold" integer,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inventory_levels_tenant_id_sku_location_pk" PRIMARY KEY("tenant_id","sku","location")
);
--> statement-breakpoint
ALTER TABLE "inventory_levels" ADD CONSTRAINT "inventory_levels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_levels_tenant_available_idx" ON "inventory_levels" USING btree ("tenant_id","available");