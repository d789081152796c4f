-- Rails 7: create_table :articles with t.string, t.text, t.timestamps
CREATE TABLE "articles" ("id" bigserial primary key, "title" character varying, "body" text, "created_at" timestamp(6) NOT NULL, "updated_at" timestamp(6) NOT NULL);
