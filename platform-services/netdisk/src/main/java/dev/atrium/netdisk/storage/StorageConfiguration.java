package dev.atrium.netdisk.storage;

import dev.atrium.netdisk.config.NetdiskProperties;
import java.net.URI;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** The S3 client for the tenant's object store (SeaweedFS's gateway in the platform; any S3 store works). */
@Configuration
public class StorageConfiguration {

  @Bean(destroyMethod = "close")
  S3Client s3Client(NetdiskProperties properties) {
    NetdiskProperties.S3 s3 = properties.s3();
    return S3Client.builder()
        .endpointOverride(URI.create(s3.endpoint()))
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        // buckets as paths (http://store/bucket/key): the store is one host, without per-bucket DNS names
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        // netdisk checks every byte itself (each chunk's and each file's SHA-256); the SDK's own checksums would
        // hash every byte a third time, and only for the operations that require one do they stay on
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(s3.maxConnections())
            .connectionTimeout(Duration.ofSeconds(3))
            .socketTimeout(Duration.ofSeconds(60)))
        .build();
  }

  @Bean
  ObjectStore objectStore(S3Client s3, NetdiskProperties properties) {
    return new ObjectStore(s3, properties.s3().bucket());
  }
}
