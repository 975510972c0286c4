package dev.atrium.netdisk;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Netdisk of one tenant's platform: spaces, files, uploads, versions, shares and trash on its object store. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class NetdiskApplication {

  public static void main(String[] args) {
    SpringApplication.run(NetdiskApplication.class, args);
  }
}
