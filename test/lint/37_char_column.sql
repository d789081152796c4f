CREATE TABLE countries (
  code char(2) PRIMARY KEY,
  name character(60) NOT NULL
);
