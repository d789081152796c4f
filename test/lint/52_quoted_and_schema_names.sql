SET lock_timeout = '5s';
CREATE INDEX "Orders_Status_idx" ON "Sales"."Orders" ("Status");
ALTER TABLE "Sales"."Orders" ADD COLUMN "Note" json;
