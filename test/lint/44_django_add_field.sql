--
-- Django 4.2 sqlmigrate library 0002: Add field pages to book, alter field title
--
BEGIN;
ALTER TABLE "library_book" ADD COLUMN "pages" integer DEFAULT 0 NOT NULL;
ALTER TABLE "library_book" ALTER COLUMN "pages" DROP DEFAULT;
ALTER TABLE "library_book" ALTER COLUMN "title" TYPE varchar(300);
CREATE INDEX "library_book_title_2b3c4d5e" ON "library_book" ("title");
COMMIT;
