# Build and run CivicGrid against an external PostGIS (see docker-compose.yml).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/backend/target/civicgrid.jar /app/civicgrid.jar
# Photos live in /app/var/photos (a volume shared by the instances in docker-compose's scale-out profile).
RUN mkdir -p /app/var/photos && chown -R 1000 /app/var
EXPOSE 8080
USER 1000
ENTRYPOINT ["java", "-jar", "/app/civicgrid.jar"]
